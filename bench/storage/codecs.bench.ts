/**
 * Segment codec benchmark: writes the same records as sealed segments with each codec (zstd at
 * levels 1, 3, 6 and 9, lz4, none) and reads them back, on the loghub samples (concatenated) and
 * on the generated corpus. Prints stored bytes per raw byte, write MB/s and full-decode read
 * MB/s; the reference in the same run is the "none" codec (no compression, same block layout).
 */

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchFromRecords } from "../../src/storage/record-batch.ts";
import type { CodecName } from "../../src/storage/segment/format.ts";
import { SegmentReader } from "../../src/storage/segment/reader.ts";
import { DEFAULT_SEGMENT_OPTIONS, writeSegment } from "../../src/storage/segment/writer.ts";
import type { LogRecord } from "../../src/core/record.ts";
import type { RecordBatch } from "../../src/storage/types.ts";
import { corpus, fmt, printTable } from "../corpus.ts";
import type { BenchOptions } from "../run.ts";

const LOGHUB = join(import.meta.dir, "../../../shared/data/loghub");
const BATCH = 4096;
const VARIANTS: [string, CodecName, number][] = [
  ["none", "none", 3],
  ["lz4", "lz4", 3],
  ["zstd-1", "zstd", 1],
  ["zstd-3", "zstd", 3],
  ["zstd-6 (default)", "zstd", 6],
  ["zstd-9", "zstd", 9],
];

/** One record per line (newline excluded), writeTs increasing, a shared attr map. */
function toBatches(data: Uint8Array, attrs: Record<string, string>): { batches: RecordBatch[]; raw: number } {
  const records: LogRecord[] = [];
  let start = 0;
  let raw = 0;
  for (let p = data.indexOf(10); start < data.length; p = data.indexOf(10, start)) {
    const end = p < 0 ? data.length : p;
    const ts = 1_700_000_000_000_000 + records.length * 1000;
    records.push({ raw: data.subarray(start, end), attrs, sourceTs: 0, ingestTs: ts, writeTs: ts });
    raw += end - start;
    start = end + 1;
  }
  const batches: RecordBatch[] = [];
  for (let i = 0; i < records.length; i += BATCH) batches.push(batchFromRecords(i, records.slice(i, i + BATCH)));
  return { batches, raw };
}

function readAll(path: string): number {
  const r = SegmentReader.open(path);
  let n = 0;
  for (const b of r.batches(0, r.count())) n += b.count + b.data.length;
  r.close();
  return n;
}

function report(label: string, data: Uint8Array, attrs: Record<string, string>): void {
  const { batches, raw } = toBatches(data, attrs);
  const dir = mkdtempSync(join(tmpdir(), "gl-codec-bench-"));
  try {
    const rows: string[][] = [];
    let noneRead = 0;
    for (const [name, codec, level] of VARIANTS) {
      const path = join(dir, `${name}.seg`);
      const t0 = performance.now();
      const s = writeSegment(path, { chunkId: name, createdAt: 0 }, batches, { ...DEFAULT_SEGMENT_OPTIONS, codec, level }, []);
      const writeS = (performance.now() - t0) / 1000;
      readAll(path); // warm the page cache and JIT
      const t1 = performance.now();
      const reps = 3;
      for (let i = 0; i < reps; i++) readAll(path);
      const readS = (performance.now() - t1) / 1000 / reps;
      if (codec === "none") noneRead = readS;
      rows.push([name, String(s.storedBytes), fmt(s.storedBytes / raw, 3), fmt(raw / writeS / 1e6, 0), fmt(raw / readS / 1e6, 0), fmt(noneRead / readS, 2)]);
    }
    console.log(`\n${label}: ${fmt(raw / 1e6, 2)} MB raw in ${batches.reduce((n, b) => n + b.count, 0)} records`);
    printTable(["codec", "stored bytes", "stored/raw", "write MB/s", "read MB/s", "read vs none"], rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark (quick: loghub and a 50k-line generated corpus). */
export async function runCodecBench(o: BenchOptions): Promise<void> {
  if (existsSync(LOGHUB)) {
    const files = readdirSync(LOGHUB).filter((f) => f.endsWith(".log")).sort();
    const all = Buffer.concat(files.map((f) => readFileSync(join(LOGHUB, f))));
    report("loghub samples, concatenated", new Uint8Array(all), { source: "loghub" });
  } else {
    console.log(`loghub data absent at ${LOGHUB}: skipped`);
  }
  const lines = o.quick ? 50_000 : 1_000_000;
  report(`generated corpus, ${lines} lines`, new Uint8Array(readFileSync(corpus(lines))), { host: "bench" });
}

if (import.meta.main) await runCodecBench({ quick: process.argv.includes("--quick") });
