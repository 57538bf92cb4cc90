/**
 * Timestamp recognition over every loghub sample (../shared/data/loghub beside the repo):
 * per file, the layout recognised, the share of lines that get a sourceTs, and the first,
 * smallest and largest value. Skips with a message when the data directory is absent.
 */

import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseLeadingTimestamp } from "./timestamp.ts";

const REPO_ROOT = resolve(import.meta.dir, "../../..");
const DATA = resolve(REPO_ROOT, "../shared/data/loghub");
const present = existsSync(DATA);
if (!present) console.warn(`timestamp.loghub.test: SKIPPED, loghub samples not found at ${DATA}`);

interface FileResult {
  layout: string;
  lines: number;
  timestampedFraction: number;
  first: number;
  min: number;
  max: number;
}

/** Every file yields a timestamp on every line; none of the 16 lacks one. */
const EXPECTED: Record<string, FileResult> = {
  "Android_2k.log": r("Android MM-DD HH:MM:SS.mmm (year from context)", 1710692018811000, 1710692018811000, 1710692169141000),
  "Apache_2k.log": r("Apache [Day Mon DD HH:MM:SS YYYY]", 1133671664000000, 1133671664000000, 1133810157000000),
  "BGL_2k.log": r("epoch seconds, second word", 1117838570000000, 1117838570000000, 1136301189000000),
  "HDFS_2k.log": r("HDFS yymmdd hhmmss", 1226262975000000, 1226262975000000, 1226398817000000),
  "HPC_2k.log": r("epoch seconds, fifth word", 1077804742000000, 1060163570000000, 1146100398000000),
  "Hadoop_2k.log": r("ISO space, comma millis", 1445191307978000, 1445191307978000, 1445191855202000),
  "HealthApp_2k.log": r("yyyymmdd-H:M:S:ms unpadded", 1514067329606000, 1514067329606000, 1514077355789000),
  "Linux_2k.log": r("syslog Mmm dd HH:MM:SS", 1718378161000000, 1718378161000000, 1722091320000000),
  "Mac_2k.log": r("syslog, space-padded day", 1719824455000000, 1719824455000000, 1720426246000000),
  "OpenSSH_2k.log": r("syslog Mmm dd HH:MM:SS", 1733813746000000, 1733813746000000, 1733828685000000),
  "OpenStack_2k.log": r("ISO space, dot millis, second word", 1494892800008000, 1494892800008000, 1494893687687000),
  "Proxifier_2k.log": r("[mm.dd HH:MM:SS] (year from context)", 1730306946000000, 1722000634000000, 1730323308000000),
  "Spark_2k.log": r("Spark yy/mm/dd HH:MM:SS", 1497039040000000, 1497039040000000, 1497039071000000),
  "Thunderbird_2k.log": r("epoch seconds, second word", 1131566461000000, 1131566461000000, 1131567332000000),
  "Windows_2k.log": r("ISO space, no fraction", 1475037030000000, 1475037030000000, 1475114680000000),
  "Zookeeper_2k.log": r("ISO space, comma millis", 1438191704747000, 1438191704747000, 1440501988145000),
};

function r(layout: string, first: number, min: number, max: number): FileResult {
  return { layout, lines: 2000, timestampedFraction: 1, first, min, max };
}

function scan(file: string, layout: string): FileResult {
  const buf = new Uint8Array(readFileSync(join(DATA, file)));
  const ctx = { year: 2024 };
  let lines = 0;
  let hits = 0;
  let first = 0;
  let min = Infinity;
  let max = 0;
  for (let pos = 0; pos < buf.length; ) {
    let nl = buf.indexOf(10, pos);
    if (nl < 0) nl = buf.length;
    const ts = parseLeadingTimestamp(buf, pos, nl, ctx);
    if (lines === 0) first = ts;
    lines++;
    if (ts > 0) {
      hits++;
      if (ts < min) min = ts;
      if (ts > max) max = ts;
    }
    pos = nl + 1;
  }
  return { layout, lines, timestampedFraction: hits / lines, first, min, max };
}

describe.skipIf(!present)("loghub samples (needs ../shared/data/loghub)", () => {
  test("the expectation table names every sample file", () => {
    const files = readdirSync(DATA).filter((f) => f.endsWith(".log")).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.entries(EXPECTED))("%s", (file, expected) => {
    expect(scan(file, expected.layout)).toEqual(expected);
  });
});
