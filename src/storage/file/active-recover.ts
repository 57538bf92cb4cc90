/**
 * Opens an active chunk directory after a restart (format.ts recovery rules): validates the
 * three headers, keeps the longest valid prefix of entries, truncates torn tails of all three
 * files and rebuilds the chunk's stats from the entries alone — record data is never scanned.
 * The same open and prefix, without the cuts, give a read-only view of a chunk another process
 * is writing (read-only-store.ts).
 */

import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { CorruptError } from "../../core/errors.ts";
import type { ChunkId } from "../../core/ids.ts";
import { ChunkStats } from "../stats.ts";
import type { RecoveredChunk } from "./active-chunk.ts";
import { EntryColumns } from "./entry-columns.ts";
import { ATTRS_FILE, decodeHeader, ENTRIES_FILE, ENTRY_BYTES, ENTRY_F64, ENTRY_U32, HEADER_BYTES, RAW_FILE, validEntryPrefix, type FileKind } from "./format.ts";

/** One truncation made during recovery. */
export interface TornTail {
  path: string;
  from: number;
  to: number;
}

/** One open file of an active chunk; `size` as it was when opened. */
export interface OpenFile {
  fd: number;
  path: string;
  size: number;
  createdAt: number;
}

/** The three files of an active chunk, headers checked; close with closeActiveFiles. */
export interface ActiveFiles {
  entries: OpenFile;
  raw: OpenFile;
  attrs: OpenFile;
  createdAt: number;
}

/** Recovers `dir`; throws CorruptError when a header is unreadable. */
export function recoverActiveDir(dir: string, id: ChunkId): { chunk: RecoveredChunk; cuts: TornTail[] } {
  const files = openActiveFiles(dir, "r+");
  try {
    const { entries, count, stats } = committedPrefix(files);
    const cuts: TornTail[] = [];
    cut(files.entries, HEADER_BYTES + count * ENTRY_BYTES, cuts);
    cut(files.raw, HEADER_BYTES + (count === 0 ? 0 : entries.rawEnd(count - 1)), cuts);
    cut(files.attrs, HEADER_BYTES + (count === 0 ? 0 : entries.attrEnd(count - 1)), cuts);
    return { chunk: { id, dir, createdAt: files.createdAt, entries, count, stats }, cuts };
  } finally {
    closeActiveFiles(files);
  }
}

/**
 * Opens the three files of active chunk `dir` ("r": to read only) and checks their headers
 * and that they were created together. Throws CorruptError for a bad header, the open's error
 * (ENOENT...) for a missing file; nothing stays open then.
 */
export function openActiveFiles(dir: string, mode: "r" | "r+"): ActiveFiles {
  const opened: OpenFile[] = [];
  try {
    const entries = open(dir, ENTRIES_FILE, "entries", mode, opened);
    const raw = open(dir, RAW_FILE, "raw", mode, opened);
    const attrs = open(dir, ATTRS_FILE, "attrs", mode, opened);
    for (const f of [raw, attrs]) {
      if (f.createdAt !== entries.createdAt) throw new CorruptError(f.path, 8, `createdAt ${f.createdAt} differs from the entries file's ${entries.createdAt}`);
    }
    return { entries, raw, attrs, createdAt: entries.createdAt };
  } catch (err) {
    for (const f of opened) closeSync(f.fd);
    throw err;
  }
}

export function closeActiveFiles(files: ActiveFiles): void {
  for (const f of [files.entries, files.raw, files.attrs]) closeSync(f.fd);
}

/**
 * The longest valid prefix of the chunk's entries as the files hold them now, and its stats.
 * The entries are read before the data sizes are taken: a writer writes the data before the
 * entries pointing at it, so with a writer appending meanwhile, an entry read here points at
 * data already there, and a torn last entry (or one past the data) is simply not counted.
 */
export function committedPrefix(files: ActiveFiles): { entries: EntryColumns; count: number; stats: ChunkStats } {
  const whole = Math.floor((fstatSync(files.entries.fd).size - HEADER_BYTES) / ENTRY_BYTES);
  const region = new Uint8Array(Math.max(whole, 0) * ENTRY_BYTES);
  const got = readFully(files.entries.fd, region, HEADER_BYTES);
  const read = Math.floor(got / ENTRY_BYTES);
  const rawSize = fstatSync(files.raw.fd).size - HEADER_BYTES;
  const attrSize = fstatSync(files.attrs.fd).size - HEADER_BYTES;
  const count = validEntryPrefix(new Float64Array(region.buffer, 0, read * ENTRY_F64), new Uint32Array(region.buffer, 0, read * ENTRY_U32), read, rawSize, attrSize);
  const entries = EntryColumns.fromBytes(region, count);
  const stats = new ChunkStats();
  for (let i = 0; i < count; i++) {
    stats.add(entries.writeTs(i), entries.ingestTs(i), entries.sourceTs(i), entries.rawEnd(i) - entries.rawStart(i), entries.attrEnd(i) - entries.attrStart(i));
  }
  return { entries, count, stats };
}

/** Opens one file (adding it to `opened` for the caller to close) and checks its header. */
function open(dir: string, name: string, kind: FileKind, mode: "r" | "r+", opened: OpenFile[]): OpenFile {
  const path = join(dir, name);
  const f: OpenFile = { fd: openSync(path, mode), path, size: 0, createdAt: 0 };
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

/** Reads into `out` from `pos` until it is full or the file ends; returns the bytes read. */
function readFully(fd: number, out: Uint8Array, pos: number): number {
  let done = 0;
  while (done < out.length) {
    const n = readSync(fd, out, done, out.length - done, pos + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
