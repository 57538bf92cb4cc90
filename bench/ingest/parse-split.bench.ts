/**
 * Hot-path figures for import: LineSplitter MB/s and parseLeadingTimestamp ns/line on the
 * generated corpus and on each loghub sample (when ../shared/data/loghub exists), against a
 * bare `indexOf` newline count over the same bytes as the reference.
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LineSplitter, type LineSink } from "../../src/core/lines.ts";
import { parseLeadingTimestamp } from "../../src/ingest/parse/timestamp.ts";
import type { BenchOptions } from "../run.ts";
import { corpus, fmt, printTable } from "../corpus.ts";

const LOGHUB = resolve(import.meta.dir, "../../../shared/data/loghub");

function bestOf(reps: number, fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best / 1000;
}

function lineOffsets(buf: Uint8Array): Uint32Array {
  const out: number[] = [0];
  for (let p = buf.indexOf(10); p >= 0; p = buf.indexOf(10, p + 1)) out.push(p + 1);
  if (out[out.length - 1] !== buf.length) out.push(buf.length + 1);
  return Uint32Array.from(out);
}

function measure(name: string, buf: Uint8Array, reps: number): string[] {
  const offs = lineOffsets(buf);
  const n = offs.length - 1;
  const ctx = { year: 2024 };
  let stamped = 0;
  const tsSec = bestOf(reps, () => {
    stamped = 0;
    for (let i = 0; i < n; i++) if (parseLeadingTimestamp(buf, offs[i]!, offs[i + 1]! - 1, ctx) > 0) stamped++;
  });
  const counter: LineSink & { n: number } = { n: 0, line() { this.n++; } };
  const blocks: Uint8Array[] = [];
  for (let p = 0; p < buf.length; p += 1 << 20) blocks.push(buf.subarray(p, p + (1 << 20)));
  const splitSec = bestOf(reps, () => {
    const s = new LineSplitter();
    for (const b of blocks) s.push(b, counter);
    s.finish(counter);
  });
  const refSec = bestOf(reps, () => {
    let c = 0;
    for (let p = buf.indexOf(10); p >= 0; p = buf.indexOf(10, p + 1)) c++;
    counter.n += c;
  });
  const mb = buf.length / 1e6;
  return [name, String(n), fmt((tsSec * 1e9) / n), `${fmt((100 * stamped) / n)}%`, fmt(mb / splitSec, 0), fmt(mb / refSec, 0), fmt(refSec / splitSec, 2)];
}

export async function runParseSplitBench(o: BenchOptions): Promise<void> {
  const reps = o.quick ? 2 : 5;
  const rows = [measure("corpus", new Uint8Array(readFileSync(corpus(o.quick ? 50_000 : 1_000_000))), reps)];
  if (existsSync(LOGHUB)) {
    for (const f of readdirSync(LOGHUB).filter((f) => f.endsWith(".log")).sort()) {
      rows.push(measure(f, new Uint8Array(readFileSync(join(LOGHUB, f))), o.quick ? 2 : 20));
    }
  } else {
    console.log(`loghub samples not found at ${LOGHUB}; corpus only`);
  }
  printTable(["input", "lines", "ts ns/line", "stamped", "split MB/s", "indexOf MB/s", "split/ref"], rows);
}
