/**
 * One seal, in-process (issue 19): `capture` imports the head of a corpus into a file store
 * rotating at 32 MiB (the default) and keeps a copy of the first chunk handed to the sealer;
 * `seal` seals that copy as the seal job does, `--rounds` times, timing the blocks (reads,
 * encoding, zstd, writes) and each section builder (add and finish; the split seal's writer
 * builds blocks and tokens, its helper the rest) and printing a hash of every section and of
 * the segment file, so a change to the seal can be profiled (`bun --cpu-prof-md`) and compared
 * for identical bytes. Corpora: `bench` (the generated 1M-line file), `loghub` (resampled),
 * `http` (the receiver bench's NDJSON records, each with a unique `seq` attribute, through the
 * HTTP receiver's parser into a 64 MiB chunk, as a receiver's inline seal gets them) or `syslog`
 * (its RFC 5424 messages through the syslog receiver's parser into a 32 MiB chunk, as the
 * sustained 100k msgs/s row's server seals them).
 *   bun bench/storage/seal-profile.ts capture bench|loghub|http|syslog <fixture dir>
 *   bun bench/storage/seal-profile.ts seal <fixture dir> [--rounds=N] [--json]
 */

import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { sectionBuilders, builtBySealHelper } from "../../src/app/section-builders.ts";
import { systemClock } from "../../src/core/time.ts";
import { importFiles } from "../../src/ingest/import/import-files.ts";
import { DEFAULT_STORE_BATCH } from "../../src/ingest/import/defaults.ts";
import { openFileStore } from "../../src/storage/file/open-store.ts";
import { runSealJob, type SealJob } from "../../src/storage/file/seal-job.ts";
import { InlineSealer, type Sealer } from "../../src/storage/file/sealer.ts";
import type { SectionBuilder } from "../../src/storage/types.ts";
import { corpus, fmt, printTable } from "../corpus.ts";
import { loghubCorpus } from "../corpus-loghub.ts";
import { CORPUS_YEAR } from "../store-cache.ts";
import { ndjsonRecords } from "../../src/ingest/receivers/http/lines.ts";
import { message, ndjsonLine } from "../receivers/messages.ts";
import { SyslogRecords } from "../../src/ingest/receivers/syslog/records.ts";
import type { ReceiverCounters } from "../../src/ingest/pipeline/counters.ts";
import type { IngestPipeline } from "../../src/ingest/pipeline/pipeline.ts";
import type { RecordInput } from "../../src/core/record.ts";

const CHUNK_BYTES = 32 << 20;
/** The receivers' rotation (bench/receivers: 64 MiB) for the `http` capture. */
const HTTP_CHUNK_BYTES = 64 << 20;
/** NDJSON lines per HTTP body, as the receiver bench's sender posts them. */
const HTTP_BODY_LINES = 1000;
/** Input taken from the corpus head: enough for one whole 32 MiB chunk and the start of the next. */
const HEAD_BYTES = 48 << 20;
const BLOCKS = "(blocks)";

/** Seals without index builds, keeping a copy of the first chunk it is handed (its files and job). */
class CapturingSealer implements Sealer {
  private readonly inline = new InlineSealer();
  captured = false;

  constructor(private readonly fixture: string) {}

  async seal(job: SealJob): Promise<ReturnType<typeof runSealJob>> {
    if (!this.captured) {
      cpSync(job.activeDir, join(this.fixture, "active"), { recursive: true });
      writeFileSync(join(this.fixture, "job.json"), JSON.stringify({ ...job, activeDir: "", segmentPath: "" }));
      this.captured = true;
    }
    return this.inline.seal(job);
  }

  async close(): Promise<void> {}
}

/** Copies the first HEAD_BYTES of `path` (whole lines) to a file of the same name in `dir` (the `file` attribute). */
function headOf(path: string, dir: string): string {
  const buf = new Uint8Array(HEAD_BYTES);
  const fd = openSync(path, "r");
  const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
  closeSync(fd);
  const end = buf.subarray(0, n).lastIndexOf(10) + 1;
  const out = join(dir, basename(path));
  const w = openSync(out, "w");
  writeSync(w, buf, 0, end);
  closeSync(w);
  return out;
}

/** Appends `batch(i)` (records from message i on, the next i returned) until a chunk of `chunkBytes` is captured. */
async function captureReceiverChunk(fixture: string, chunkBytes: number, batch: (i: number) => [RecordInput[], number]): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "seal-profile-"));
  try {
    const sealer = new CapturingSealer(fixture);
    const store = await openFileStore(join(tmp, "store"), { name: "default", sealer, rotation: { maxBytes: chunkBytes } });
    for (let i = 0; !sealer.captured; ) {
      const [records, next] = batch(i);
      await store.append(records);
      i = next;
    }
    await store.close();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The sender's NDJSON bodies, parsed as the HTTP receiver parses them. */
function httpBatch(i: number): [RecordInput[], number] {
  const lines: string[] = [];
  for (let j = i; j < i + HTTP_BODY_LINES; j++) lines.push(ndjsonLine(j));
  const body = new TextEncoder().encode(lines.join("\n") + "\n");
  return [ndjsonRecords(body, { receiver: "http", remote_ip: "127.0.0.1" }, Date.now() * 1000, { year: CORPUS_YEAR }), i + HTTP_BODY_LINES];
}

/** The sender's syslog messages, parsed as the syslog receiver parses them (a batch per HTTP_BODY_LINES). */
function syslogBatch(): (i: number) => [RecordInput[], number] {
  let out: RecordInput[] = [];
  const pipeline = { push: (r: RecordInput) => out.push(r) } as unknown as IngestPipeline;
  const records = new SyslogRecords("syslog", { parseErrors: 0 } as ReceiverCounters, pipeline, 0);
  const enc = new TextEncoder();
  return (i) => {
    out = [];
    records.refresh(Date.now() * 1000);
    for (let j = i; j < i + HTTP_BODY_LINES; j++) {
      const m = enc.encode(message(j));
      records.add(m, 0, m.length, "127.0.0.1", Date.now() * 1000);
    }
    return [out, i + HTTP_BODY_LINES];
  };
}

async function capture(which: string, fixture: string): Promise<void> {
  if (which === "http" || which === "syslog") {
    rmSync(fixture, { recursive: true, force: true });
    mkdirSync(fixture, { recursive: true });
    return which === "http" ? captureReceiverChunk(fixture, HTTP_CHUNK_BYTES, httpBatch) : captureReceiverChunk(fixture, CHUNK_BYTES, syslogBatch());
  }
  const path = which === "loghub" ? loghubCorpus(1_000_000) : corpus(1_000_000);
  if (!path) throw new Error(`corpus ${which} unavailable`);
  rmSync(fixture, { recursive: true, force: true });
  mkdirSync(fixture, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), "seal-profile-"));
  try {
    const sealer = new CapturingSealer(fixture);
    const store = await openFileStore(join(tmp, "store"), { name: "default", sealer, rotation: { maxBytes: CHUNK_BYTES } });
    await importFiles(store, [headOf(path, tmp)], { storeBatch: DEFAULT_STORE_BATCH, clock: systemClock, year: CORPUS_YEAR });
    await store.close();
    if (!sealer.captured) throw new Error(`no chunk of ${which} reached ${CHUNK_BYTES} bytes`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** This thread's CPU time in ms (on-CPU time from schedstat: wall clocks mislead on a shared box). */
function threadCpuMs(): number {
  const text = readFileSync("/proc/thread-self/schedstat", "latin1");
  return Number(text.slice(0, text.indexOf(" "))) / 1e6;
}

interface Timing {
  millis: Map<string, number>;
  hashes: Map<string, string>;
  /** This thread's CPU time. */
  totalMillis: number;
  /** The process's CPU time (JIT and GC threads too). */
  cpuMillis: number;
  fileHash: string;
}

/** `b` with the thread CPU time of its add and finish calls added to `millis` and its bytes hashed. */
function timed(b: SectionBuilder, millis: Map<string, number>, hashes: Map<string, string>): SectionBuilder {
  const spend = (t0: number) => millis.set(b.name, (millis.get(b.name) ?? 0) + threadCpuMs() - t0);
  return {
    name: b.name,
    add(batch) {
      const t0 = threadCpuMs();
      b.add(batch);
      spend(t0);
    },
    finish() {
      const t0 = threadCpuMs();
      const r = b.finish();
      spend(t0);
      hashes.set(b.name, new Bun.CryptoHasher("sha256").update(r.bytes).digest("hex").slice(0, 16));
      return r;
    },
  };
}

function sealOnce(fixture: string, out: string): Timing {
  const job = JSON.parse(readFileSync(join(fixture, "job.json"), "utf8")) as SealJob;
  const segmentPath = join(out, "chunk.seg");
  rmSync(segmentPath, { force: true });
  const millis = new Map<string, number>();
  const hashes = new Map<string, string>();
  const cpu0 = process.cpuUsage();
  const t0 = threadCpuMs();
  runSealJob({ ...job, activeDir: join(fixture, "active"), segmentPath }, () => sectionBuilders().map((b) => timed(b, millis, hashes)));
  const totalMillis = threadCpuMs() - t0;
  const cpu = process.cpuUsage(cpu0);
  let builders = 0;
  for (const m of millis.values()) builders += m;
  millis.set(BLOCKS, totalMillis - builders);
  return { millis, hashes, totalMillis, cpuMillis: (cpu.user + cpu.system) / 1000, fileHash: new Bun.CryptoHasher("sha256").update(readFileSync(segmentPath)).digest("hex").slice(0, 16) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function seal(fixture: string, rounds: number, json: boolean): void {
  const out = mkdtempSync(join(tmpdir(), "seal-profile-"));
  try {
    sealOnce(fixture, out);
    const runs: Timing[] = [];
    for (let i = 0; i < rounds; i++) runs.push(sealOnce(fixture, out));
    const names = [...runs[0]!.millis.keys()];
    const med = (f: (t: Timing) => number) => median(runs.map(f));
    const per = Object.fromEntries(names.map((n) => [n, med((t) => t.millis.get(n)!)]));
    const writer = med((t) => t.millis.get(BLOCKS)! + [...t.millis].filter(([n]) => n !== BLOCKS && !builtBySealHelper(n)).reduce((s, [, m]) => s + m, 0));
    const helper = med((t) => [...t.millis].filter(([n]) => n !== BLOCKS && builtBySealHelper(n)).reduce((s, [, m]) => s + m, 0));
    const result = { per, writer, helper, total: med((t) => t.totalMillis), cpu: med((t) => t.cpuMillis), cpuAll: runs.map((t) => t.cpuMillis), hashes: Object.fromEntries(runs[0]!.hashes), file: runs[0]!.fileHash };
    if (json) {
      console.log(JSON.stringify(result));
      return;
    }
    printTable(
      ["section", "CPU ms (median)", "sha256/16"],
      names.map((n) => [n, fmt(per[n]!, 1), result.hashes[n] ?? ""]),
    );
    console.log(`CPU: writer (blocks + its sections) ${fmt(writer, 0)} ms, helper ${fmt(helper, 0)} ms; thread ${fmt(result.total, 0)} ms, process ${fmt(result.cpu, 0)} ms (${result.cpuAll.map((c) => fmt(c, 0)).join(" ")}); segment ${result.file}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const [cmd, a, b] = process.argv.slice(2);
const flag = (name: string) => process.argv.find((x) => x.startsWith(`--${name}`));
if (cmd === "capture" && a && b) await capture(a, b);
else if (cmd === "seal" && a) seal(a, Number(flag("rounds")?.split("=")[1] ?? 3), flag("json") !== undefined);
else {
  console.error("usage: seal-profile.ts capture bench|loghub <fixture dir> | seal <fixture dir> [--rounds=N] [--json]");
  process.exit(2);
}
