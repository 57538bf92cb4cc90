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
export const APACHE_LOGS = resolve(import.meta.dir, "../../../shared/fixtures/vectors/elastic-examples/apache_logs");

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

/**
 * `n` generated JSON log lines (seeded): objects with top-level, nested and array fields, some
 * after a text prefix, some not JSON at all, for the format-field tests.
 */
export function jsonRecords(seed: number, n: number): RecordInput[] {
  const rnd = seededRandom(seed);
  const enc = new TextEncoder();
  const out: RecordInput[] = [];
  for (let i = 0; i < n; i++) {
    const body = {
      level: LEVELS[rnd(4)],
      msg: ["user login", "payment failed", "cache miss", "Timeout talking to db"][rnd(4)],
      status: [200, 201, 404, 500, 503][rnd(5)],
      latency_ms: rnd(1000),
      user: { id: rnd(200), name: ["bob", "Alice", "carol"][rnd(3)] },
      tags: rnd(2) ? ["production", `shard-${rnd(4)}`] : [],
      request: { headers: { "Content-Type": ["application/json", "text/plain"][rnd(2)] }, method: ["GET", "POST"][rnd(2)] },
      ok: rnd(2) === 1,
      err: rnd(5) === 0 ? null : "none",
    };
    const json = JSON.stringify(body);
    const kind = rnd(10);
    const raw = kind < 7 ? json : kind < 9 ? `2025-01-0${1 + rnd(9)}T10:00:00Z app[${rnd(99)}]: ${json}` : `not json {${json}`;
    out.push({ raw: enc.encode(raw), attrs: { file: "json", level: LEVELS[i % 4]!, host: `web-${i % 5}` }, sourceTs: 0, ingestTs: 1_760_000_000_000_000 + i * 1000 });
  }
  return out;
}

/** Every `every`-th of the 10,000 real Apache access log lines, or [] when the fixture is absent. */
export function apacheRecords(every = 1): RecordInput[] {
  if (!existsSync(APACHE_LOGS)) return [];
  return toRecords("apache", lines(new Uint8Array(readFileSync(APACHE_LOGS))), every, 1_770_000_000_000_000);
}

/** `n` generated strict logfmt lines (some with quoted values), with a few plain lines between. */
export function logfmtRecords(n: number): RecordInput[] {
  const enc = new TextEncoder();
  const out: RecordInput[] = [];
  for (let i = 0; i < n; i++) {
    const msg = ["user created", 'said "hi"', "disk full", "ok"][i % 4]!.replace(/["\\]/g, "\\$&");
    const raw = i % 9 === 8 ? `plain line ${i} level=warn` : `ts=2025-02-0${1 + (i % 9)}T10:00:00Z level=${LEVELS[i % 4]} msg="${msg}" duration_ms=${(i * 37) % 900} path=/v${i % 3}/items`;
    out.push({ raw: enc.encode(raw), attrs: { file: "logfmt", level: LEVELS[i % 4]!, host: `web-${i % 5}` }, sourceTs: 0, ingestTs: 1_780_000_000_000_000 + i * 1000 });
  }
  return out;
}

/**
 * `n` records with a `sev` field only in their text, for group-bys the field indexes answer
 * (seeded): JSON, logfmt and free-text key=value records, values in lower case, capitals and
 * mixed spellings, records without it, an attribute `Sev` (which wins over the text); past
 * `clean` records also the shapes that make a chunk be read — a record with two values, a
 * non-ASCII value.
 */
export function fieldRecords(seed: number, n: number, clean: number): RecordInput[] {
  const rnd = seededRandom(seed);
  const enc = new TextEncoder();
  const values = ["info", "Info", "INFO", "warn", "WARN", "error", "debug", "Debug"];
  const out: RecordInput[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[rnd(values.length)]!;
    const shapes = [`{"sev":"${v}","n":${i}}`, `ts=2025-03-01T10:00:00Z sev=${v} n=${i}`, `job ${i} finished sev=${v}`, `{"sev":null,"n":${i}}`, `nothing to group ${i}`, `{"msg":"x"} sev=${v}`];
    let raw = shapes[rnd(shapes.length)]!;
    const attrs: Record<string, string> = { file: "fields" };
    if (rnd(30) === 0) attrs.Sev = values[rnd(values.length)]!;
    if (i >= clean && rnd(40) === 0) {
      if (rnd(2) === 0) raw = `job ${i} sev=${values[rnd(values.length)]} then sev=${v}`;
      else raw = `job ${i} sev=ünï`;
    }
    out.push({ raw: enc.encode(raw), attrs, sourceTs: 0, ingestTs: 1_790_000_000_000_000 + i * 1000 });
  }
  return out;
}

/** A seeded xorshift32: rnd(k) is an integer in [0, k). */
function seededRandom(seed: number): (k: number) => number {
  let x = seed >>> 0 || 1;
  return (k) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % k;
  };
}
