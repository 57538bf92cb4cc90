/**
 * Opens an active chunk directory after a restart (format.ts recovery rules): validates the
 * three headers, keeps the longest valid prefix of entries, truncates torn tails of all three
 * files and rebuilds the chunk's stats from the entries alone — record data is never scanned.
 */

import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { CorruptError } from "../../core/errors.ts";
import type { ChunkId } from "../../core/ids.ts";
import { ChunkStats } from "../stats.ts";
import type { RecoveredChunk } from "./active-chunk.ts";
import { EntryColumns } from "./entry-columns.ts";
import { ATTRS_FILE, decodeHeader, ENTRIES_FILE, ENTRY_BYTES, ENTRY_F64, HEADER_BYTES, RAW_FILE, validEntryPrefix, type FileKind } from "./format.ts";

/** One truncation made during recovery. */
export interface TornTail {
  path: string;
  from: number;
  to: number;
}

/** Recovers `dir`; throws CorruptError when a header is unreadable. */
export function recoverActiveDir(dir: string, id: ChunkId): { chunk: RecoveredChunk; cuts: TornTail[] } {
  const files: OpenFile[] = [];
  try {
    const ent = open(dir, ENTRIES_FILE, "entries", files);
    const raw = open(dir, RAW_FILE, "raw", files);
    const attrs = open(dir, ATTRS_FILE, "attrs", files);
    for (const f of [raw, attrs]) {
      if (f.createdAt !== ent.createdAt) throw new CorruptError(f.path, 8, `createdAt ${f.createdAt} differs from the entries file's ${ent.createdAt}`);
    }
    const whole = Math.floor((ent.size - HEADER_BYTES) / ENTRY_BYTES);
    const region = new Uint8Array(whole * ENTRY_BYTES);
    readFully(ent.fd, region, HEADER_BYTES);
    const entries = EntryColumns.fromBytes(region, whole);
    const count = validEntryPrefix(entries.f64, entries.u32, whole, raw.size - HEADER_BYTES, attrs.size - HEADER_BYTES);
    const cuts: TornTail[] = [];
    cut(ent, HEADER_BYTES + count * ENTRY_BYTES, cuts);
    cut(raw, HEADER_BYTES + (count === 0 ? 0 : entries.rawEnd(count - 1)), cuts);
    cut(attrs, HEADER_BYTES + (count === 0 ? 0 : entries.attrEnd(count - 1)), cuts);
    const stats = new ChunkStats();
    const f = entries.f64;
    for (let i = 0; i < count; i++) {
      const o = i * ENTRY_F64;
      stats.add(f[o]!, f[o + 1]!, f[o + 2]!, entries.rawEnd(i) - entries.rawStart(i), entries.attrEnd(i) - entries.attrStart(i));
    }
    return { chunk: { id, dir, createdAt: ent.createdAt, entries, count, stats }, cuts };
  } finally {
    for (const f of files) closeSync(f.fd);
  }
}

interface OpenFile {
  fd: number;
  path: string;
  size: number;
  createdAt: number;
}

/** Opens one file (adding it to `opened` for the caller to close) and checks its header. */
function open(dir: string, name: string, kind: FileKind, opened: OpenFile[]): OpenFile {
  const path = join(dir, name);
  const f: OpenFile = { fd: openSync(path, "r+"), path, size: 0, createdAt: 0 };
  opened.push(f);
  f.size = fstatSync(f.fd).size;
  const head = new Uint8Array(Math.min(f.size, HEADER_BYTES));
  readFully(f.fd, head, 0);
  f.createdAt = decodeHeader(path, head, kind);
  return f;
}

function cut(f: OpenFile, size: number, cuts: TornTail[]): void {
  if (f.size === size) return;
  ftruncateSync(f.fd, size);
  fsyncSync(f.fd);
  cuts.push({ path: f.path, from: f.size, to: size });
}

function readFully(fd: number, out: Uint8Array, pos: number): void {
  let done = 0;
  while (done < out.length) {
    const n = readSync(fd, out, done, out.length - done, pos + done);
    if (n === 0) break;
    done += n;
  }
}
