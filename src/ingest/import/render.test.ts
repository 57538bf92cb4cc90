/** Golden-style table tests for the progress line, the summary block and the number formats. */

import { describe, expect, test } from "bun:test";
import type { ImportProgress, ImportSummary } from "./import-files.ts";
import { compactCount, compactDuration, renderProgress, renderSummary } from "./render.ts";

const base: ImportProgress = {
  file: "app.log",
  fileIndex: 0,
  fileCount: 1,
  bytesRead: 45,
  bytesTotal: 100,
  lines: 1_200_000,
  elapsedMicros: 3_870_968,
  fileDone: false,
};

describe("render", () => {
  test.each<[string, ImportProgress, string]>([
    ["mid-file", base, "importing app.log   45% |█████████           |  1.2M lines  310k/s  ETA 5s"],
    ["partial block", { ...base, bytesRead: 47 }, "importing app.log   47% |█████████▍          |  1.2M lines  310k/s  ETA 4s"],
    ["done", { ...base, bytesRead: 100, fileDone: true }, "importing app.log  100% |████████████████████|  1.2M lines  310k/s"],
    ["stdin", { ...base, file: "-", bytesTotal: undefined }, "importing -  1.2M lines  310k/s"],
    ["several files", { ...base, fileIndex: 1, fileCount: 3, lines: 500, elapsedMicros: 0 }, "[2/3] importing app.log   45% |█████████           |  500 lines  0/s"],
  ])("progress: %s", (_name, p, expected) => {
    expect(renderProgress(p)).toBe(expected);
  });

  test("summary", () => {
    const s: ImportSummary = {
      files: 2,
      records: 1000,
      alreadyStored: 0,
      stopped: false,
      position: { file: 1, line: 10, byte: 100, sourceTs: 0 },
      lines: 1000,
      inputBytes: 150_000_000,
      rawBytes: 149_000_000,
      seconds: 2.5,
      recordsPerSec: 400,
      mbPerSec: 60,
      storedBytes: 15_000_000,
      indexBytes: 3_000_000,
      ratio: 0.1,
      truncated: 1,
      binary: 2,
      timestamped: 990,
    };
    expect(renderSummary(s).split("\n")).toEqual([
      "files       2",
      "records     1000 (400/s)",
      "input       150.0 MB in 2.50s (60.0 MB/s)",
      "stored      15.0 MB (0.100 of input)",
      "index       3.0 MB (0.020 of input)",
      "timestamped 990 (99.0%)",
      "truncated   1",
      "binary      2",
    ]);
  });

  test("number and duration formats", () => {
    expect([0, 999, 1234, 12_345, 1_234_567, 98_765_432, 2e9].map(compactCount)).toEqual([
      "0", "999", "1.2k", "12k", "1.2M", "99M", "2.0G",
    ]);
    expect([0, 3.4, 65, 3725].map(compactDuration)).toEqual(["0s", "3s", "1m05s", "1h02m"]);
  });
});
