/**
 * Test support for the text file store's tests: an obvious line model of the importer, a store
 * opener with a test timestamp parser, a reader of every record through batches, and file
 * helpers. Test-only; nothing in src imports it.
 */

import { expect } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_RAW_BYTES } from "../../core/limits.ts";
import { recordAt } from "../record-batch.ts";
import type { ChunkStore } from "../types.ts";
import { openTextFileStore, type TextFileStoreOptions } from "./text-store.ts";

export const OPEN = 1_700_000_000_000_000;
export const latin1 = new TextDecoder("latin1");

/** Test parser: a line starting "<digits> " is at that many seconds. */
export function leadingSeconds(buf: Uint8Array, start: number, end: number): number {
  let n = 0;
  let i = start;
  while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) n = n * 10 + buf[i++]! - 0x30;
  return i > start && i < end && buf[i] === 0x20 && n > 0 ? n * 1e6 : 0;
}

export interface Rec {
  raw: string;
  attrs: Record<string, string>;
  sourceTs: number;
}

/** Obvious model of the importer: LF splits, one CR before it (or at EOF) goes, cut at the limit, timestamps carry. */
export function model(files: { name: string; bytes: Uint8Array }[]): Rec[] {
  const out: Rec[] = [];
  for (const f of files) {
    let last = 0;
    const parts = latin1.decode(f.bytes).split("\n");
    if (parts[parts.length - 1] === "") parts.pop();
    for (let p of parts) {
      if (p.endsWith("\r")) p = p.slice(0, -1);
      const attrs: Record<string, string> = { file: f.name };
      if (p.length > MAX_RAW_BYTES) {
        attrs._truncated = String(p.length);
        p = p.slice(0, MAX_RAW_BYTES);
      }
      const ts = leadingSeconds(Uint8Array.from(p, (c) => c.charCodeAt(0)), 0, p.length);
      if (ts !== 0) last = ts;
      out.push({ raw: p, attrs, sourceTs: last });
    }
  }
  return out;
}

export function open(paths: string[], o: TextFileStoreOptions = {}): ChunkStore {
  return openTextFileStore("t", paths, { clock: () => OPEN, parseTimestamp: leadingSeconds, ...o });
}

/** Every record of the store via batches, checking the open-time columns on the way. */
export function readAll(s: ChunkStore): Rec[] {
  const out: Rec[] = [];
  for (const m of s.chunks()) {
    const r = s.open(m.id);
    for (const b of r.batches(0, r.count())) {
      for (let i = 0; i < b.count; i++) {
        const rec = recordAt(b, i);
        expect([rec.ingestTs, rec.writeTs]).toEqual([OPEN, OPEN]);
        out.push({ raw: latin1.decode(rec.raw), attrs: { ...rec.attrs }, sourceTs: rec.sourceTs });
      }
    }
    r.close();
  }
  return out;
}

export function write(dir: string, name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
