/**
 * Test corpora for query tests: the loghub files read in place from ../shared/data/loghub (when
 * present) and a seeded generated corpus, as RecordInput lists with attributes and timestamps.
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { generateCorpus } from "../../scripts/gen-corpus.ts";
import { parseLeadingTimestamp } from "../../src/ingest/parse/timestamp.ts";
import type { RecordInput } from "../../src/core/record.ts";

export const LOGHUB_DIR = resolve(import.meta.dir, "../../../shared/data/loghub");

/** Splits text bytes into lines (no terminators, CR stripped). */
function lines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let s = 0;
  for (;;) {
    const nl = bytes.indexOf(10, s);
    if (nl < 0) break;
    const e = nl > s && bytes[nl - 1] === 13 ? nl - 1 : nl;
    out.push(bytes.subarray(s, e));
    s = nl + 1;
  }
  if (s < bytes.length) out.push(bytes.subarray(s));
  return out;
}

const LEVELS = ["error", "warn", "info", "debug"];

function toRecords(source: string, ls: Uint8Array[], every: number, startIngest: number): RecordInput[] {
  const out: RecordInput[] = [];
  for (let i = 0; i < ls.length; i += every) {
    const raw = ls[i]!;
    out.push({
      raw,
      attrs: { file: source, level: LEVELS[i % 4]!, host: `web-${i % 5}` },
      sourceTs: parseLeadingTimestamp(raw, 0, raw.length, { year: 2024 }),
      ingestTs: startIngest + i * 1000,
    });
  }
  return out;
}

/** Every `every`-th line of each loghub file, or [] when the data is absent. */
export function loghubRecords(every = 1): RecordInput[] {
  if (!existsSync(LOGHUB_DIR)) return [];
  const out: RecordInput[] = [];
  for (const f of readdirSync(LOGHUB_DIR).filter((n) => n.endsWith(".log")).sort()) {
    out.push(...toRecords(f, lines(new Uint8Array(readFileSync(join(LOGHUB_DIR, f)))), every, 1_700_000_000_000_000 + out.length * 1000));
  }
  return out;
}

/** `n` lines of the seeded generated corpus. */
export function generatedRecords(seed: number, n: number): RecordInput[] {
  const parts: Uint8Array[] = [];
  generateCorpus(seed, n, (b) => parts.push(b.slice()));
  return toRecords("generated", lines(Buffer.concat(parts)), 1, 1_750_000_000_000_000);
}
