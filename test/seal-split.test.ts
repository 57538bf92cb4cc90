/**
 * Split seals (seal-split.ts): the writer and helper halves together write the same segment
 * bytes as one thread, on one thread in turn and in the two seal workers; a builder failing in
 * the helper is recorded as it would be in one thread; a failed helper fails the whole seal
 * without leaving a segment or part file behind, and a part file left by a crash goes at open.
 */

import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { LogError } from "../src/core/errors.ts";
import type { RecordInput } from "../src/core/record.ts";
import { builtBySealHelper, sectionBuilders } from "../src/app/section-builders.ts";
import type { SectionBuilder } from "../src/storage/types.ts";
import { openFileStore } from "../src/storage/file/open-store.ts";
import { handleSealRequest, runSealJob, type SealJob } from "../src/storage/file/seal-job.ts";
import { failSealSplit, newSealSplit, partPath } from "../src/storage/file/seal-split.ts";
import { WorkerSealer } from "../src/storage/file/sealer.ts";
import { tempDir } from "../src/storage/file/test-helpers.ts";

const enc = new TextEncoder();
const WORKER = new URL("../src/app/seal-worker.ts", import.meta.url).href;

/** Lines every index type finds something in: plain text, key=value, JSON, syslog. */
function record(i: number): RecordInput {
  const lines = [
    `plain line ${i} with token t${i % 13}`,
    `user=u${i % 17} status=${200 + (i % 5)} msg="request ${i}"`,
    `{"level":"${i % 3 ? "info" : "warn"}","n":${i},"svc":"s${i % 4}"}`,
    `<34>Oct 11 22:14:15 host${i % 3} app[${i}]: started job ${i}`,
  ];
  return { raw: enc.encode(lines[i % lines.length]!), attrs: { file: `f${i % 2}` }, ingestTs: i + 1, sourceTs: 0 };
}

/** An active chunk of `n` records and the seal job the store would post for it (never run by it). */
async function activeChunkJob(dir: string, n: number): Promise<SealJob> {
  let job: SealJob | undefined;
  const sealer = {
    seal: async (j: SealJob) => {
      job = j;
      throw new LogError("cancelled", "kept active for the test");
    },
    close: async () => {},
  };
  const s = await openFileStore(dir, { sealer });
  for (let j = 0; j < n; j += 1000) await s.append(Array.from({ length: Math.min(1000, n - j) }, (_, i) => record(j + i)));
  await expect(s.seal()).rejects.toThrow("kept active for the test");
  await s.close();
  return job!;
}

function leftovers(job: SealJob): string[] {
  return readdirSync(dirname(job.segmentPath)).filter((f) => f.endsWith(".tmp"));
}

test("writer and helper halves run in turn write the same segment as one thread", async () => {
  using tmp = tempDir();
  const job = await activeChunkJob(tmp.path, 5000);
  runSealJob({ ...job, segmentPath: join(tmp.path, "one.seg") }, sectionBuilders);
  const split = newSealSplit();
  const halves = { ...job, segmentPath: join(tmp.path, "two.seg"), split };
  const helper = handleSealRequest({ id: 1, job: halves, role: "helper" }, sectionBuilders, builtBySealHelper);
  const writer = handleSealRequest({ id: 1, job: halves }, sectionBuilders, builtBySealHelper);
  const one = readFileSync(join(tmp.path, "one.seg"));
  expect({ helper: helper.ok, writer: writer.ok && writer.summary?.indexStatus, same: Buffer.compare(one, readFileSync(halves.segmentPath)), part: existsSync(partPath(halves.segmentPath)) }).toEqual({
    helper: true,
    writer: "complete",
    same: 0,
    part: false,
  });
});

test("the worker sealer splits seals over two workers and writes the same segment", async () => {
  using tmp = tempDir();
  const job = await activeChunkJob(tmp.path, 20_000);
  runSealJob({ ...job, segmentPath: join(tmp.path, "one.seg") }, sectionBuilders);
  const sealer = new WorkerSealer(WORKER, { split: true });
  try {
    const summary = await sealer.seal(job);
    expect({ records: summary.records, status: summary.indexStatus, same: Buffer.compare(readFileSync(join(tmp.path, "one.seg")), readFileSync(job.segmentPath)), tmp: leftovers(job) }).toEqual({
      records: 20_000,
      status: "complete",
      same: 0,
      tmp: [],
    });
  } finally {
    await sealer.close();
  }
});

test("a builder failing in the helper is recorded as it is in one thread", async () => {
  using tmp = tempDir();
  const job = await activeChunkJob(tmp.path, 2000);
  const failing: SectionBuilder = {
    name: "idx.failing",
    add: () => {
      throw new Error("no room");
    },
    finish: () => ({ bytes: new Uint8Array(0), status: "complete" }),
  };
  const builders = () => [...sectionBuilders(), failing];
  const one = runSealJob({ ...job, segmentPath: join(tmp.path, "one.seg") }, builders);
  const split = newSealSplit();
  const halves = { ...job, segmentPath: join(tmp.path, "two.seg"), split };
  handleSealRequest({ id: 1, job: halves, role: "helper" }, builders, builtBySealHelper);
  const two = handleSealRequest({ id: 1, job: halves }, builders, builtBySealHelper);
  expect(two.ok && { status: two.summary?.indexStatus, errors: two.summary?.sectionErrors }).toEqual({ status: one.indexStatus, errors: one.sectionErrors });
  expect(one.sectionErrors).toEqual(['section "idx.failing": no room']);
});

test("a failed helper fails the seal: no segment, no part file, the chunk stays active", async () => {
  using tmp = tempDir();
  const job = await activeChunkJob(tmp.path, 2000);
  const split = newSealSplit();
  failSealSplit(split);
  const reply = handleSealRequest({ id: 7, job: { ...job, split } }, sectionBuilders, builtBySealHelper);
  expect({ ok: reply.ok, segment: existsSync(job.segmentPath), tmp: leftovers(job), active: existsSync(job.activeDir) }).toEqual({ ok: false, segment: false, tmp: [], active: true });
  // A part file a crash left behind goes at the next open, and the chunk is sealed, whole.
  writeFileSync(partPath(job.segmentPath), "partial");
  const s = await openFileStore(tmp.path, { sectionBuilders });
  expect(leftovers(job)).toEqual([]);
  await s.idle();
  expect(s.chunks().map((m) => [m.state, m.records, m.indexStatus])).toEqual([["sealed", 2000, "complete"]]);
  await s.close();
});
