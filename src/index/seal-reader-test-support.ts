/**
 * Test-only helpers for the seal readers (json-pairs.ts, clf-pairs.ts): what a reader reports
 * for a line next to what the format's walker reports, both as the pair events the index
 * builder receives, and a seeded random source. Not imported by production code.
 */

import { expect } from "bun:test";
import type { FieldWalk, FieldVisitor } from "./field-walk.ts";
import { KV_MAX_LEN } from "./kv-extract.ts";
import type { PairSink } from "./msgkv-builder.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

type Walk = (data: Uint8Array, start: number, end: number, visit: FieldVisitor) => FieldWalk;
type Reader = { pairs(data: Uint8Array, start: number, end: number, sink: PairSink): "none" | "done" | "walker" };

/** A sink listing what it receives ("key=value", "overflow key", "drop"). */
function recordingSink(): PairSink & { events: string[] } {
  const scratch = new Uint8Array(2 * KV_MAX_LEN + 1);
  const events: string[] = [];
  return {
    scratch,
    events,
    pair: (kl, end) => {
      events.push(`${dec.decode(scratch.subarray(0, kl))}=${dec.decode(scratch.subarray(kl + 1, end))}`);
      return true;
    },
    overflowKey: (kl) => void events.push(`overflow ${dec.decode(scratch.subarray(0, kl))}`),
    drop: () => void events.push("drop"),
  };
}

/** What `walk` reports for `line` as the format index builder's pair events (sorted). */
export function walkerEvents(walk: Walk, line: string): string[] {
  const raw = enc.encode(line);
  const events: string[] = [];
  const lower = (t: string) => t.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const w = walk(raw, 0, raw.length, (k, v) => {
    const key = lower(k);
    const value = lower(v);
    if (key.length > KV_MAX_LEN || enc.encode(key).length > KV_MAX_LEN) events.push("drop");
    else if (value === "" || value.length > KV_MAX_LEN || enc.encode(value).length > KV_MAX_LEN) events.push(`overflow ${key}`);
    else events.push(`${key}=${value}`);
  });
  if (w.truncated) events.push("drop");
  return events.sort();
}

/** The reader's events for `line` (sorted), or "walker" when it hands the line back. */
export function readerEvents(reader: Reader, line: string): string[] | "walker" {
  const raw = enc.encode(line);
  const sink = recordingSink();
  const r = reader.pairs(raw, 0, raw.length, sink);
  if (r === "walker") return "walker";
  if (r === "none") expect(sink.events).toEqual([]);
  return sink.events.sort();
}

/** Deterministic pseudo-random numbers in [0, 1) (xorshift). */
export function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** A damaged copy of `line`: a byte of `alphabet` replacing or inserted at one place, a byte removed, or the line cut short. */
function damage(r: () => number, line: string, alphabet: string): string {
  const at = Math.floor(r() * line.length);
  const b = alphabet[Math.floor(r() * alphabet.length)];
  switch (Math.floor(r() * 4)) {
    case 0:
      return line.slice(0, at) + b + line.slice(at + 1);
    case 1:
      return line.slice(0, at) + line.slice(at + 1);
    case 2:
      return line.slice(0, at) + b + line.slice(at);
    default:
      return line.slice(0, at);
  }
}

export interface DamageRun {
  reader: Reader;
  walk: Walk;
  /** Lines to damage (1 to 3 times each). */
  lines: readonly string[];
  /** Bytes that matter to the format, to damage with. */
  alphabet: string;
  seed: number;
  /** Shares of the lines the reader must read itself, and that must have fields. */
  minRead: number;
  minParsed: number;
}

/** Damages lines `n` times: the reader reports the walker's pairs for each it reads itself. */
export function expectDamagedLinesMatch(o: DamageRun, n = 30_000): void {
  const r = rng(o.seed);
  let read = 0;
  let parsed = 0;
  for (let i = 0; i < n; i++) {
    let line = o.lines[Math.floor(r() * o.lines.length)]!;
    for (let d = Math.floor(r() * 3); d >= 0; d--) line = damage(r, line, o.alphabet);
    const got = readerEvents(o.reader, line);
    if (got === "walker") continue;
    read++;
    if (got.length > 0) parsed++;
    expect(got, line).toEqual(walkerEvents(o.walk, line));
  }
  expect(read).toBeGreaterThan(n * o.minRead);
  expect(parsed).toBeGreaterThan(n * o.minParsed);
}
