/**
 * Index build benchmark: builds the token, attribute and message-KV sections over the loghub
 * files (each file one chunk, and all files concatenated into 50k-line chunks) and over the
 * first 500k lines of the generated 1M corpus when it is cached; prints records/s and MB/s per
 * builder and index bytes per raw byte per section. Reference in the same run: a bare
 * TokenScanner pass over the same bytes (the floor of the token builder).
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveBuildOptions } from "../../src/index/builders.ts";
import { decodeHead } from "../../src/index/head.ts";
import { INDEX_TYPES } from "../../src/index/registry.ts";
import { TokenScanner } from "../../src/index/tokenizer.ts";
import type { RecordBatch, SectionBuilder } from "../../src/storage/types.ts";
import { DATA_DIR, fmt, printTable } from "../corpus.ts";
import type { BenchOptions } from "../run.ts";

const LOGHUB = join(import.meta.dir, "../../../shared/data/loghub");
const CHUNK_LINES = 50_000;
const BATCH = 4096;

/** Splits `text` into line records and packs them into batches of BATCH records. */
function chunkBatches(data: Uint8Array, attrs: Record<string, string>): RecordBatch[] {
  const offsets: number[] = [0];
  for (let p = data.indexOf(10); p >= 0; p = data.indexOf(10, p + 1)) offsets.push(p + 1);
  if (offsets[offsets.length - 1] !== data.length) offsets.push(data.length);
  const n = offsets.length - 1;
  const batches: RecordBatch[] = [];
  const ts = new Float64Array(BATCH);
  for (let i = 0; i < n; i += BATCH) {
    const count = Math.min(BATCH, n - i);
    // Records keep their trailing newline: a delimiter to both scanners, so terms are unchanged.
    const rawOffsets = Uint32Array.from(offsets.slice(i, i + count + 1));
    batches.push({ first: i, count, data, rawOffsets, writeTs: ts, ingestTs: ts, sourceTs: ts, attrs: () => attrs });
  }
  return batches;
}

/** Splits a buffer into pieces of at most `lines` lines. */
function splitLines(data: Uint8Array, lines: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  let count = 0;
  for (let p = data.indexOf(10); p >= 0; p = data.indexOf(10, p + 1)) {
    if (++count === lines) {
      out.push(data.subarray(start, p + 1));
      start = p + 1;
      count = 0;
    }
  }
  if (start < data.length) out.push(data.subarray(start));
  return out;
}

interface Result {
  seconds: number;
  /** Fraction of the time spent in finish() (sort, encode, compress). */
  finishShare: number;
  bytes: number;
  statuses: string;
}

function runBuilder(make: () => SectionBuilder, chunks: RecordBatch[][]): Result {
  const t = performance.now();
  let bytes = 0;
  let finishing = 0;
  const statuses = new Set<string>();
  for (const batches of chunks) {
    const b = make();
    for (const batch of batches) b.add(batch);
    const f = performance.now();
    const out = b.finish();
    finishing += performance.now() - f;
    bytes += out.bytes.length;
    statuses.add(decodeHead(out.bytes, out.bytes.length).status);
  }
  return { seconds: (performance.now() - t) / 1000, finishShare: finishing / (performance.now() - t), bytes, statuses: [...statuses].join(",") };
}

function scanOnly(chunks: RecordBatch[][]): number {
  const t = performance.now();
  const sc = new TokenScanner();
  let n = 0;
  for (const batches of chunks) {
    for (const b of batches) {
      for (let i = 0; i < b.count; i++) {
        sc.reset(b.data, b.rawOffsets[i]!, b.rawOffsets[i + 1]!);
        while (sc.next()) n++;
      }
    }
  }
  if (n < 0) console.log(n);
  return (performance.now() - t) / 1000;
}

function report(label: string, chunks: RecordBatch[][]): void {
  const records = chunks.reduce((n, c) => n + c.reduce((m, b) => m + b.count, 0), 0);
  const rawBytes = chunks.reduce((n, c) => n + c.reduce((m, b) => m + (b.rawOffsets[b.count]! - b.rawOffsets[0]!), 0), 0);
  const options = resolveBuildOptions();
  const builders: [string, () => SectionBuilder][] = INDEX_TYPES.map((t) => [t.section, () => t.builder(options)]);
  const rows = builders.map(([name, make]) => {
    runBuilder(make, chunks.slice(0, 1));
    const r = runBuilder(make, chunks);
    return [name, fmt(records / r.seconds / 1e3, 0), fmt(rawBytes / r.seconds / 1e6, 1), fmt(r.finishShare * 100, 0), String(r.bytes), fmt(r.bytes / rawBytes, 4), r.statuses];
  });
  const total = rows.reduce((n, r) => n + Number(r[4]), 0);
  const scan = scanOnly(chunks);
  rows.push(["(tokenize only)", fmt(records / scan / 1e3, 0), fmt(rawBytes / scan / 1e6, 1)]);
  rows.push(["total", "", "", "", String(total), fmt(total / rawBytes, 4)]);
  console.log(`\n${label}: ${chunks.length} chunks, ${records} records, ${fmt(rawBytes / 1e6, 2)} MB raw`);
  printTable(["section", "krec/s", "MB/s", "finish%", "bytes", "bytes/raw", "status"], rows);
}

/** Runs the benchmark (quick: loghub only). */
export async function runIndexBuildBench(o: BenchOptions): Promise<void> {
  if (!existsSync(LOGHUB)) {
    console.log(`loghub data absent at ${LOGHUB}: skipped`);
  } else {
    const files = readdirSync(LOGHUB).filter((f) => f.endsWith(".log")).sort();
    const datas = files.map((f) => new Uint8Array(readFileSync(join(LOGHUB, f))));
    report("loghub, one chunk per file", datas.map((d, i) => chunkBatches(d, { file: files[i]! })));
    const all = Buffer.concat(datas.map((d) => (d[d.length - 1] === 10 ? d : Buffer.concat([d, Buffer.from("\n")]))));
    report(`loghub concatenated, ${CHUNK_LINES}-line chunks`, splitLines(all, CHUNK_LINES).map((d) => chunkBatches(d, { source: "loghub" })));
  }
  const big = join(DATA_DIR, "corpus-s1-1000000.log");
  if (!o.quick && existsSync(big)) {
    const data = new Uint8Array(readFileSync(big));
    const half = splitLines(data, 500_000)[0]!;
    report("generated corpus, one 500k-line chunk", [chunkBatches(half, { host: "bench" })]);
  }
}

if (import.meta.main) await runIndexBuildBench({ quick: process.argv.includes("--quick") });
