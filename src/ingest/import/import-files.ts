/**
 * `importFiles`: reads log files (plain, .gz, .zst or stdin), one record per line, into a
 * ChunkStore through its interface only. Reading and appending overlap: at most one append
 * is in flight while the next block is read and split. Never seals; stored bytes are read
 * from chunk metadata after `store.idle()`.
 */

import { basename } from "node:path";
import { LogError } from "../../core/errors.ts";
import { MAX_ATTR_VALUE_BYTES, truncateUtf8 } from "../../core/limits.ts";
import type { RecordInput, RecordRef } from "../../core/record.ts";
import type { Clock } from "../../core/time.ts";
import type { ChunkStore } from "../../storage/types.ts";
import { type LineCounts, RecordBatcher } from "./batcher.ts";
import { LineSplitter } from "../../core/lines.ts";
import { importTimestampContext } from "./defaults.ts";
import { openSource } from "./sources.ts";


/** Progress callbacks are spaced at least this far apart (clock µs), plus one per file end. */
export const PROGRESS_EVERY_MICROS = 100_000;

export interface ImportProgress {
  /** Path being read ("-" for stdin). */
  file: string;
  /** 0-based index of `file` in the list, and the list length. */
  fileIndex: number;
  fileCount: number;
  /** Bytes of this file consumed on disk (compressed bytes for .gz/.zst). */
  bytesRead: number;
  /** Size of this file on disk; undefined for stdin. */
  bytesTotal: number | undefined;
  /** Lines imported so far, all files. */
  lines: number;
  /** Since the import started. */
  elapsedMicros: number;
  /** True on the last report for this file. */
  fileDone: boolean;
}

export interface ImportOptions {
  /** Records per append (4–8k is a good range). */
  storeBatch: number;
  onProgress?(p: ImportProgress): void;
  /** Sets ingestTs (once per block read) and times the import. */
  clock: Clock;
  /** Year for timestamps that omit it; default: the clock's current UTC year. */
  year?: number;
  /** Local offset for zone-less timestamps, minutes east of UTC; default 0. */
  tzOffsetMinutes?: number;
  /** Seal the last chunk before measuring, so stored bytes are compressed and indexed. */
  seal?: boolean;
  /** Replaces process stdin for the path "-" (tests). */
  stdin?: AsyncIterable<Uint8Array>;
}

export interface ImportSummary extends LineCounts {
  files: number;
  /** Records appended (= lines). */
  records: number;
  /** Decompressed input bytes, line terminators included. */
  inputBytes: number;
  seconds: number;
  recordsPerSec: number;
  /** Input MB (10^6 bytes) per second. */
  mbPerSec: number;
  /** Data bytes (segment or active files, index sections excluded) of the chunks appended to. */
  storedBytes: number;
  /** Index section bytes of those chunks (0 while they are active). */
  indexBytes: number;
  /** storedBytes / inputBytes (0 for empty input). */
  ratio: number;
}

/**
 * Imports `files` in order, one record per line (empty lines included), attrs `{file:
 * basename}`. Errors opening or decompressing a file reject with a LogError naming it;
 * records appended before the error stay in the store.
 */
export async function importFiles(store: ChunkStore, files: string[], options: ImportOptions): Promise<ImportSummary> {
  const { clock } = options;
  if (!Number.isInteger(options.storeBatch) || options.storeBatch < 1) {
    throw new LogError("invalid_argument", `import: storeBatch must be a positive integer, got ${options.storeBatch}`);
  }
  const started = clock();
  const tsCtx = importTimestampContext(started, options);
  const counts: LineCounts = { lines: 0, rawBytes: 0, truncated: 0, binary: 0, timestamped: 0 };
  const chunkIds = new Set<string>();
  let inputBytes = 0;
  let inflight: Promise<void> = Promise.resolve();
  let lastProgress = -Infinity;

  const appendBatch = (batch: RecordInput[]): Promise<void> => {
    const p = store.append(batch).then((refs) => collectChunks(refs, chunkIds));
    p.catch(() => {});
    return p;
  };

  for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
    const path = files[fileIndex]!;
    const source = openSource(path, options.stdin);
    const name = path === "-" ? "stdin" : basename(path);
    const attrs = Object.freeze({ file: truncateUtf8(name, MAX_ATTR_VALUE_BYTES) });
    const batcher = new RecordBatcher(attrs, options.storeBatch, tsCtx, counts);
    const splitter = new LineSplitter();
    const report = (fileDone: boolean): void => {
      const now = clock();
      if (!options.onProgress || (!fileDone && now - lastProgress < PROGRESS_EVERY_MICROS)) return;
      lastProgress = now;
      options.onProgress({
        file: path,
        fileIndex,
        fileCount: files.length,
        bytesRead: source.consumedBytes(),
        bytesTotal: source.totalBytes,
        lines: counts.lines,
        elapsedMicros: now - started,
        fileDone,
      });
    };
    for await (const chunk of source.chunks) {
      inputBytes += chunk.length;
      batcher.ingestTs = clock();
      splitter.push(chunk, batcher);
      while (batcher.ready.length > 0) {
        await inflight;
        inflight = appendBatch(batcher.ready.shift()!);
      }
      report(false);
    }
    splitter.finish(batcher);
    batcher.cut();
    for (const batch of batcher.ready.splice(0)) {
      await inflight;
      inflight = appendBatch(batch);
    }
    await inflight;
    report(true);
  }

  if (options.seal) await store.seal();
  await store.idle();
  const seconds = (clock() - started) / 1e6;
  let storedBytes = 0;
  let indexBytes = 0;
  for (const id of chunkIds) {
    const meta = store.chunk(id);
    storedBytes += (meta?.storedBytes ?? 0) - (meta?.indexBytes ?? 0);
    indexBytes += meta?.indexBytes ?? 0;
  }
  return {
    files: files.length,
    records: counts.lines,
    ...counts,
    inputBytes,
    seconds,
    recordsPerSec: seconds > 0 ? counts.lines / seconds : 0,
    mbPerSec: seconds > 0 ? inputBytes / 1e6 / seconds : 0,
    storedBytes,
    ratio: inputBytes > 0 ? storedBytes / inputBytes : 0,
    indexBytes,
  };
}

function collectChunks(refs: RecordRef[], into: Set<string>): void {
  let last = "";
  for (let i = 0; i < refs.length; i++) {
    const id = refs[i]!.chunk;
    if (id !== last) {
      into.add(id);
      last = id;
    }
  }
}
