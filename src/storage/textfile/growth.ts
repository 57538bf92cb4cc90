/**
 * Following the files of a text store while it is open (`repl --embedded FILE` with `follow`):
 * complete lines appended to a file become new regions (new chunks, ids after every existing
 * one, so live tails see them); a file renamed or deleted and created again is read to its
 * last complete line and the new file at the path is read from its start; a file truncated in
 * place loses its regions (their bytes are gone). A partial last line waits for its newline.
 * Changes are noticed by fs.watch on the files' directories plus a poll once the store has a
 * subscriber, and checked at each chunk listing before that (text-store.ts).
 */

import { fstatSync, openSync, readSync, statSync, watch, type FSWatcher } from "node:fs";
import { dirname } from "node:path";
import { newChunkId } from "../../core/ids.ts";
import { regionBounds } from "./lines.ts";
import { Region, type TextFile } from "./region.ts";

/** What a tail changes in its store. */
export interface TailHost {
  readonly name: string;
  readonly regionBytes: number;
  /**
   * A TextFile over `fd` stamped `time` (its records' ingest and write time); the store owns
   * (and closes) the descriptor from then on.
   */
  textFile(path: string, fd: number, time: number): TextFile;
  add(r: Region): void;
  /** Removes the regions read through `fd` (the file was truncated under them). */
  dropFd(fd: number): void;
  now(): number;
}

/** Polling period backing up the directory watches. */
const POLL_MS = 500;
const NL = 10;
const TAIL_PROBE = 64 * 1024;

/** One followed path: the file it names now and how far its regions reach. */
export class TextTail {
  constructor(
    readonly path: string,
    private dev: number,
    private ino: number,
    private fd: number,
    private end: number,
    private last: Region | undefined,
  ) {}

  /** Adds what changed since the last call (see the header). */
  refresh(host: TailHost): void {
    this.extend(host);
    let st;
    try {
      st = statSync(this.path);
    } catch {
      return; // deleted: its regions stay readable through our descriptor until it comes back
    }
    if (st.dev === this.dev && st.ino === this.ino) return;
    // Another file holds the path now: read the old one to its end once more, since lines
    // written to it between the read above and the stat (before the new file was created)
    // would otherwise be lost.
    this.extend(host);
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch {
      return;
    }
    const now = fstatSync(fd);
    [this.dev, this.ino, this.fd, this.end, this.last] = [now.dev, now.ino, fd, 0, undefined];
    host.textFile(this.path, fd, host.now());
    this.extend(host);
  }

  private extend(host: TailHost): void {
    const size = fstatSync(this.fd).size;
    if (size < this.end) {
      host.dropFd(this.fd);
      this.end = 0;
      this.last = undefined;
    }
    const stop = lastLineEnd(this.fd, this.end, size);
    if (stop <= this.end) return;
    const file = host.textFile(this.path, this.fd, host.now());
    const bounds = regionBounds(this.fd, stop, host.regionBytes, this.end);
    for (let i = 0; i + 1 < bounds.length; i++) {
      const r = new Region(newChunkId(), host.name, file, this.last, bounds[i]!, bounds[i + 1]!);
      host.add(r);
      this.last = r;
    }
    this.end = stop;
  }
}

/** Offset just after the last newline in [from, size), or `from` when there is none. */
function lastLineEnd(fd: number, from: number, size: number): number {
  const buf = new Uint8Array(TAIL_PROBE);
  for (let hi = size; hi > from; ) {
    const lo = Math.max(from, hi - TAIL_PROBE);
    const got = readSync(fd, buf, 0, hi - lo, lo);
    const nl = buf.subarray(0, got).lastIndexOf(NL);
    if (nl >= 0) return lo + nl + 1;
    hi = lo;
  }
  return from;
}

/** Watches the directories of `paths` and polls; calls `changed` (coalesced). Returns stop. */
export function watchPaths(paths: readonly string[], changed: () => void): () => void {
  const watchers: FSWatcher[] = [];
  for (const d of new Set(paths.map((p) => dirname(p)))) {
    try {
      watchers.push(watch(d, () => changed()));
    } catch {
      // the poll below still notices changes
    }
  }
  const timer = setInterval(changed, POLL_MS);
  return () => {
    clearInterval(timer);
    for (const w of watchers) w.close();
  };
}
