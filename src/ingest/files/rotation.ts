/**
 * What to do with rotated files beside the live ones, and with a live file whose content was
 * replaced in place. A rotated file already known by device:inode is drained from its row's
 * position (it was renamed while we were away, or reading stopped early). An unknown one
 * (compressed, or copied by copytruncate) whose first bytes match a known file's fingerprint
 * continues where that file was read — unless that file is still open, then it waits. Other
 * rotated files are read once from the start when the receiver reads rotated files, else
 * ignored. `.gz` files are streamed once and marked done.
 */

import { closeSync, openSync, statSync } from "node:fs";
import { errorMessage } from "../../core/errors.ts";
import type { Checkpointer } from "../checkpoint/checkpointer.ts";
import type { FilePosition } from "./assembler.ts";
import type { RotatedFile } from "./discovery.ts";
import type { FollowerContext } from "./follower.ts";
import { gzChunks, gzHead } from "./gzip.ts";
import { fileKey, fingerprint, headMatches, MIN_MATCH_BYTES, parseFileMeta, readHead, type FileMeta } from "./identity.ts";
import { openRotated, resumePoint, retire } from "./open-file.ts";
import { formatPosition, FileStream, parsePosition } from "./stream.ts";
import { fileEncoding, type FileSetup, type TrackedFile } from "./tracked-file.ts";

/** First-bytes cache entries kept before the cache starts over. */
const MAX_HEADS = 256;

export interface RotationOptions extends FileSetup {
  readRotated: boolean;
}

export interface RotationHooks {
  /** Starts following a rotated plain file (drained, then closed). */
  track(f: TrackedFile): void;
  /** Aborted on stop: streaming reads of .gz files end. */
  readGz: AbortSignal;
}

export class RotationHandler {
  private readonly gzActive = new Map<string, Promise<void>>();
  /** First bytes of unknown rotated files, by "key size mtime" (a .gz head costs an inflate). */
  private readonly heads = new Map<string, Uint8Array>();

  constructor(
    private readonly o: RotationOptions,
    private readonly ctx: FollowerContext,
    private readonly files: ReadonlyMap<string, TrackedFile>,
    private readonly hooks: RotationHooks,
  ) {}

  /** Resolves when every .gz read has ended. */
  async idle(): Promise<void> {
    await Promise.all(this.gzActive.values());
  }

  /** Decides about one rotated file; returns its key when it is (now) a known source. */
  consider(r: RotatedFile): string | undefined {
    let st;
    try {
      st = statSync(r.path);
    } catch {
      return undefined;
    }
    const key = fileKey(st.dev, st.ino);
    if (this.files.has(key) || this.gzActive.has(key)) return key;
    const cp = this.ctx.checkpointer;
    const row = cp.row(key);
    const meta = row ? parseFileMeta(row.meta) : undefined;
    if (row && meta && !meta.retired && this.sameContent(r, key, st.size, st.mtimeMs, meta)) {
      if (meta.done || row.pending.length > 0) return key;
      const from = resumePoint(row);
      if (r.gz) this.startGz(r.path, key, meta, from);
      else if (st.size > from.o || from.k > 0) this.open(r.path, key, meta, from);
      return key;
    }
    const head = this.head(r, key, st.size, st.mtimeMs);
    if (head === undefined) return undefined;
    const match = this.match(head);
    if (match === "busy") return undefined;
    let from: FilePosition;
    let path = r.live;
    if (match) {
      from = resumePoint(match.row);
      path = match.meta.path;
      if (match.meta.retired) cp.forget(match.row.source);
    } else if (this.o.readRotated) {
      from = { o: 0, k: 0 };
    } else {
      return undefined;
    }
    const own: FileMeta = { path, dev: st.dev, ino: st.ino, fp: fingerprint(head, head.length), fpLen: head.length, ...(r.gz ? { gz: true } : {}) };
    cp.set(key, formatPosition(from), JSON.stringify(own));
    if (r.gz) this.startGz(r.path, key, own, from);
    else this.open(r.path, key, own, from);
    return key;
  }

  /**
   * A live file's content was replaced in place (truncated, or rewritten): what was read of
   * the old content is handed out and committed, its position kept under a retired row (so
   * the rotated copy is read from there), and only then does the file start over from its
   * beginning — a row never mixes positions of old and new content.
   */
  async replaced(f: TrackedFile, push: (f: TrackedFile) => void): Promise<void> {
    f.stream.finish();
    push(f);
    await this.ctx.checkpointer.sourceSettled(f.key);
    const old = f.meta;
    const pos = this.ctx.checkpointer.row(f.key)?.position ?? formatPosition({ o: f.readPos, k: 0 });
    retire(this.ctx.checkpointer, f.key, old, pos);
    f.restart();
    this.ctx.checkpointer.set(f.key, formatPosition({ o: f.bom, k: 0 }), JSON.stringify(f.meta));
  }

  /** A known inode still holds the content its row was about (inodes are reused). */
  private sameContent(r: RotatedFile, key: string, size: number, mtime: number, meta: FileMeta): boolean {
    if (meta.fpLen === 0) return true;
    const head = this.head(r, key, size, mtime);
    return head !== undefined && headMatches(head, meta);
  }

  private open(path: string, key: string, meta: FileMeta, from: FilePosition): void {
    const t = openRotated(path, key, meta, this.o, from);
    if (t) this.hooks.track(t);
  }

  /** The row whose fingerprint `head` starts with (the most read one), "busy" if it is open. */
  private match(head: Uint8Array): { row: NonNullable<ReturnType<Checkpointer["row"]>>; meta: FileMeta } | "busy" | undefined {
    const cp = this.ctx.checkpointer;
    let best: { row: NonNullable<ReturnType<Checkpointer["row"]>>; meta: FileMeta; o: number } | undefined;
    for (const s of cp.sources()) {
      const row = cp.row(s)!;
      const meta = parseFileMeta(row.meta);
      if (!meta || meta.fpLen < MIN_MATCH_BYTES || !headMatches(head, meta)) continue;
      // Still read, or its last records not yet durable: its position is not final yet.
      if (this.files.has(s) || this.gzActive.has(s) || row.pending.length > 0) return "busy";
      const o = parsePosition(row.position).o;
      if (!best || o > best.o) best = { row, meta, o };
    }
    return best;
  }

  private head(r: RotatedFile, key: string, size: number, mtime: number): Uint8Array | undefined {
    const id = `${key} ${size} ${mtime}`;
    const cached = this.heads.get(id);
    if (cached) return cached;
    try {
      let head: Uint8Array;
      if (r.gz) head = gzHead(r.path);
      else {
        const fd = openSync(r.path, "r");
        try {
          head = readHead(fd);
        } finally {
          closeSync(fd);
        }
      }
      if (this.heads.size >= MAX_HEADS) this.heads.clear();
      this.heads.set(id, head);
      return head;
    } catch (err) {
      this.ctx.onError(`cannot read ${r.path}: ${errorMessage(err)}`);
      return undefined;
    }
  }

  private startGz(path: string, key: string, meta: FileMeta, from: FilePosition): void {
    const run = this.readGz(path, key, meta, from)
      .catch((err) => {
        this.ctx.onError(`reading ${path}: ${errorMessage(err)}`);
        this.ctx.checkpointer.set(key, formatPosition(from), JSON.stringify({ ...meta, done: true }));
      })
      .finally(() => this.gzActive.delete(key));
    this.gzActive.set(key, run);
  }

  private async readGz(path: string, key: string, meta: FileMeta, from: FilePosition): Promise<void> {
    const cp = this.ctx.checkpointer;
    const p = this.ctx.pipeline;
    const enc = fileEncoding(this.o, gzHead(path));
    const start = from.o < enc.bom ? { o: enc.bom, k: from.k } : from;
    const stream = new FileStream(this.o.chain(meta.path), enc.encoding, this.o.maxLine, start, 0);
    const json = JSON.stringify(meta);
    let offset = 0;
    for await (let chunk of gzChunks(path, this.hooks.readGz)) {
      if (offset + chunk.length <= start.o) {
        offset += chunk.length;
        continue;
      }
      if (offset < start.o) {
        chunk = chunk.subarray(start.o - offset);
        offset = start.o;
      }
      if (p.full) await p.whenSpace();
      this.ctx.counters.bytes += chunk.length;
      stream.feed(chunk, offset);
      offset += chunk.length;
      const w = stream.take();
      if (w) cp.push(key, w.records, w.position, json);
    }
    if (this.hooks.readGz.aborted) return;
    stream.finish();
    const w = stream.take();
    const done = JSON.stringify({ ...meta, done: true });
    if (w) cp.push(key, w.records, w.position, done);
    else cp.set(key, formatPosition({ o: Math.max(offset, start.o), k: 0 }), done);
  }
}
