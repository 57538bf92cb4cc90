/**
 * Opening a followed file: where to start reading it. A live file known by device:inode with
 * matching first bytes resumes at its committed position (plus the records already stored
 * after it); one whose content changed while we were away has its old row retired (kept so a
 * copy of the old content can still be matched) and is read from its start; a new file starts
 * at its beginning, or at its end (last complete line) when the receiver runs for the first
 * time with start=end.
 */

import { openSync, readSync, statSync, fstatSync, closeSync } from "node:fs";
import { errorMessage } from "../../core/errors.ts";
import type { Checkpointer } from "../checkpoint/checkpointer.ts";
import type { SourceRow } from "../checkpoint/positions.ts";
import type { FilePosition } from "./assembler.ts";
import { fileKey, fingerprint, headMatches, parseFileMeta, readHead, type FileMeta } from "./identity.ts";
import { formatPosition, parsePosition } from "./stream.ts";
import { TrackedFile, type FileSetup } from "./tracked-file.ts";

export interface OpenRequest {
  path: string;
  /** Files open now, by key (an open file is never opened twice). */
  open: ReadonlyMap<string, TrackedFile>;
  checkpointer: Checkpointer;
  setup: FileSetup;
  /** Start a file without a row at its end (first run, start=end). */
  startAtEnd: boolean;
  onError: (message: string) => void;
}

/** The key of the file at the path, and the TrackedFile when it was opened now. */
export interface Opened {
  key: string;
  tracked?: TrackedFile;
}

/** Where a row says to resume: its position with the records already stored after it. */
export function resumePoint(row: Readonly<SourceRow>): FilePosition {
  const p = parsePosition(row.position);
  return { o: p.o, k: p.k + row.skip };
}

/** Keeps a row's old content findable by fingerprint under a new key, and frees its key. */
export function retire(cp: Checkpointer, key: string, meta: FileMeta, position: string): void {
  cp.set(`${key}/${meta.fp}`, position, JSON.stringify({ ...meta, retired: true }));
}

/** Opens a live (pattern-matched) file unless it is open already; undefined when unreadable. */
export function openLive(req: OpenRequest): Opened | undefined {
  let fd: number;
  let key: string;
  try {
    const st = statSync(req.path);
    key = fileKey(st.dev, st.ino);
    if (req.open.has(key)) return { key };
    fd = openSync(req.path, "r");
  } catch (err) {
    if ((err as { code?: string }).code !== "ENOENT") req.onError(`cannot open ${req.path}: ${errorMessage(err)}`);
    return undefined;
  }
  const cp = req.checkpointer;
  const head = readHead(fd);
  const row = cp.row(key);
  const old = row ? parseFileMeta(row.meta) : undefined;
  if (row && old && !old.retired && !old.gz && headMatches(head, old)) {
    const meta = { ...old, path: req.path };
    return { key, tracked: new TrackedFile(key, fd, meta, req.setup, head, resumePoint(row), 0) };
  }
  if (row && old) retire(cp, key, old, formatPosition(resumePoint(row)));
  const st = fstatSync(fd);
  const meta: FileMeta = { path: req.path, dev: st.dev, ino: st.ino, fp: fingerprint(head, head.length), fpLen: head.length };
  const from = req.startAtEnd ? { o: lastLineEnd(fd, st.size), k: 0 } : { o: 0, k: 0 };
  cp.set(key, formatPosition(from), JSON.stringify(meta));
  return { key, tracked: new TrackedFile(key, fd, meta, req.setup, head, from, 0) };
}

/**
 * Opens a rotated plain file to drain it from `from` (it is not at a live path): `meta.path`
 * names the live file it came from. Undefined when it vanished.
 */
export function openRotated(path: string, key: string, meta: FileMeta, setup: FileSetup, from: FilePosition): TrackedFile | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  const st = fstatSync(fd);
  if (fileKey(st.dev, st.ino) !== key) {
    closeSync(fd);
    return undefined;
  }
  const t = new TrackedFile(key, fd, meta, setup, readHead(fd), from, 0);
  t.live = false;
  return t;
}

/** Offset just after the last LF (where a start-at-end reader begins), or the size. */
function lastLineEnd(fd: number, size: number): number {
  const n = Math.min(size, 64 * 1024);
  if (n === 0) return 0;
  const buf = new Uint8Array(n);
  readSync(fd, buf, 0, n, size - n);
  const nl = buf.lastIndexOf(0x0a);
  return nl < 0 ? size : size - n + nl + 1;
}
