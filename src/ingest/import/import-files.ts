/**
 * `importFiles`: reads log files (plain, .gz, .zst or stdin), one record per line, into an
 * ImportSink (a ChunkStore, or a running server's IngestService). Reading and appending
 * overlap: at most one append is in flight while the next block is read and split. Reports
 * every acknowledged append with the file position it covers, can start at such a position
 * (resume), and stops cleanly when its signal aborts. Never seals unless asked.
 */

import { basename } from "node:path";
import { LogError } from "../../core/errors.ts";
import { MAX_ATTR_VALUE_BYTES, truncateUtf8 } from "../../core/limits.ts";
import type { RecordInput, RecordRef } from "../../core/record.ts";
import type { Clock } from "../../core/time.ts";
import type { ChunkMeta } from "../../storage/types.ts";
import { type ImportBatch, type LineCounts, RecordBatcher } from "./batcher.ts";
import { LineSplitter } from "../../core/lines.ts";
import { importTimestampContext } from "./defaults.ts";
import { openSource, type ByteSource } from "./sources.ts";
import { GcPacer } from "../../core/gc-pacer.ts";

/** Progress callbacks are spaced at least this far apart (clock µs), plus one per file end. */
export const PROGRESS_EVERY_MICROS = 100_000;

/** Where an import stands in its list of files: everything before it is stored. */
export interface ImportPosition {
  /** Index of the file in the list. */
  file: number;
  /** Lines of that file already imported (records, empty lines included). */
  line: number;
  /** Offset in that file's (decompressed) content just past those lines. */
  byte: number;
  /** sourceTs of the last of those lines (the next lines without a timestamp inherit it). */
  sourceTs: number;
}

/** One acknowledged append: every line before `position` is durably stored. */
export interface ImportCommit {
  position: ImportPosition;
  /** Records this run appended so far. */
  records: number;
  /** Where the last of them went. */
  last: RecordRef;
}

/** Where imported records go: a ChunkStore fits as it is. */
export interface ImportSink {
  /**
   * Appends in order; resolves once the records are stored (durably, by the store's policy).
   * Once it settles the sink keeps no view of the records' bytes: the importer reads the
   * following input into the same memory.
   */
  append(batch: readonly RecordInput[]): Promise<RecordRef[]>;
  /** Seals the chunk being appended to. */
  seal(): Promise<unknown>;
  /** Resolves when background work (seals) has finished. */
  idle(): Promise<void>;
  /** Sizes of a chunk appended to, for the summary; undefined when unknown. */
  chunk(id: string): Pick<ChunkMeta, "storedBytes" | "indexBytes"> | undefined | Promise<Pick<ChunkMeta, "storedBytes" | "indexBytes"> | undefined>;
}

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
  /** Start here instead of at the first line of the first file (resume). */
  from?: ImportPosition;
  /**
   * Records the sink already holds, checked in order from the first record read: while it
   * answers true the record is counted as stored and not appended; the first false ends the
   * check for good (a resumed import skips what an interrupted one stored but never saw
   * acknowledged).
   */
  skipWhile?: (r: RecordInput) => boolean;
  /** Aborting stops reading at the next block; what was read is appended, then it returns. */
  signal?: AbortSignal;
  /**
   * Told after each acknowledged append, in order. When it returns a promise, the next append
   * waits for it (reading and splitting go on meanwhile); a rejection fails the import.
   */
  onCommit?(c: ImportCommit): void | Promise<void>;
}

export interface ImportSummary extends LineCounts {
  files: number;
  /** Records appended by this run. */
  records: number;
  /** Records found already stored (skipWhile) and not appended again. */
  alreadyStored: number;
  /** The signal stopped the import before the end of its input. */
  stopped: boolean;
  /** Where the import stands: the next line to import (resume point). */
  position: ImportPosition;
  /** Decompressed input bytes read, line terminators included. */
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
 * Imports `files` in order (from `options.from`), one record per line (empty lines included),
 * attrs `{file: basename}`. Errors opening or decompressing a file reject with a LogError
 * naming it; records appended before the error stay in the sink (and were reported).
 */
export async function importFiles(sink: ImportSink, files: string[], options: ImportOptions): Promise<ImportSummary> {
  const { clock } = options;
  if (!Number.isInteger(options.storeBatch) || options.storeBatch < 1) {
    throw new LogError("invalid_argument", `import: storeBatch must be a positive integer, got ${options.storeBatch}`);
  }
  const started = clock();
  const tsCtx = importTimestampContext(started, options);
  const counts: LineCounts = { lines: 0, rawBytes: 0, truncated: 0, binary: 0, timestamped: 0 };
  const out = new Appender(sink, options, options.from ?? { file: 0, line: 0, byte: 0, sourceTs: 0 });
  let inputBytes = 0;
  let lastProgress = -Infinity;
  let stopped = false;

  for (let fileIndex = out.position.file; fileIndex < files.length && !stopped; fileIndex++) {
    const path = files[fileIndex]!;
    const at = fileIndex === out.position.file ? out.position : { file: fileIndex, line: 0, byte: 0, sourceTs: 0 };
    const source = openSource(path, options.stdin, at.byte);
    const name = path === "-" ? "stdin" : basename(path);
    const attrs = Object.freeze({ file: truncateUtf8(name, MAX_ATTR_VALUE_BYTES) });
    const splitter = new LineSplitter(undefined, at.byte);
    const batcher = new RecordBatcher(attrs, options.storeBatch, tsCtx, counts, () => splitter.lineEnd, at);
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
    const gc = new GcPacer();
    const held = new HeldBlocks(source);
    for await (const chunk of untilAborted(source.chunks, options.signal)) {
      if (options.signal?.aborted) break;
      inputBytes += chunk.length;
      batcher.ingestTs = clock();
      splitter.push(chunk, batcher);
      held.add(chunk, batcher.linesSeen);
      while (batcher.ready.length > 0) await out.add(fileIndex, batcher.ready.shift()!);
      if (out.position.file === fileIndex) held.stored(out.position.line);
      // (A file store collects this thread's heap itself when a chunk rotates.)
      gc.tick();
      report(false);
    }
    stopped = options.signal?.aborted === true;
    if (!stopped) splitter.finish(batcher);
    batcher.cut();
    for (const batch of batcher.ready.splice(0)) await out.add(fileIndex, batch);
    await out.settle();
    report(true);
  }

  if (options.seal && !stopped) await sink.seal();
  await sink.idle();
  const seconds = (clock() - started) / 1e6;
  let storedBytes = 0;
  let indexBytes = 0;
  for (const id of out.chunkIds) {
    const meta = await sink.chunk(id);
    storedBytes += (meta?.storedBytes ?? 0) - (meta?.indexBytes ?? 0);
    indexBytes += meta?.indexBytes ?? 0;
  }
  return {
    files: files.length,
    ...counts,
    records: out.appended,
    alreadyStored: out.skipped,
    stopped,
    position: out.position,
    inputBytes,
    seconds,
    recordsPerSec: seconds > 0 ? out.appended / seconds : 0,
    mbPerSec: seconds > 0 ? inputBytes / 1e6 / seconds : 0,
    storedBytes,
    ratio: inputBytes > 0 ? storedBytes / inputBytes : 0,
    indexBytes,
  };
}

/**
 * Read blocks that records still view, each with the file line its last record ends: once the
 * sink acknowledged the records through that line (its append settled, so it keeps no view),
 * the block goes back to its source to be read into again.
 */
class HeldBlocks {
  private readonly blocks: { chunk: Uint8Array; line: number }[] = [];

  constructor(private readonly source: ByteSource) {}

  add(chunk: Uint8Array, line: number): void {
    if (this.source.recycle) this.blocks.push({ chunk, line });
  }

  /** Lines of the file through `line` are stored. */
  stored(line: number): void {
    let n = 0;
    while (n < this.blocks.length && this.blocks[n]!.line <= line) this.source.recycle!(this.blocks[n++]!.chunk);
    if (n > 0) this.blocks.splice(0, n);
  }
}

/** Appends batches one at a time in order, skipping what the sink already holds, and reports commits. */
class Appender {
  readonly chunkIds = new Set<string>();
  appended = 0;
  skipped = 0;
  private inflight: Promise<void> = Promise.resolve();
  private checking: boolean;

  constructor(
    private readonly sink: ImportSink,
    private readonly o: Pick<ImportOptions, "skipWhile" | "onCommit">,
    /** After the last acknowledged batch. */
    public position: ImportPosition,
  ) {
    this.checking = o.skipWhile !== undefined;
  }

  /** Queues `batch` of file `file` behind the append in flight (waits for that one first). */
  async add(file: number, batch: ImportBatch): Promise<void> {
    let records = batch.records;
    if (this.checking) {
      let k = 0;
      while (k < records.length && this.o.skipWhile!(records[k]!)) k++;
      if (k < records.length) this.checking = false;
      this.skipped += k;
      records = records.slice(k);
    }
    await this.inflight;
    const end: ImportPosition = { file, line: batch.line, byte: batch.byte, sourceTs: batch.records[batch.records.length - 1]!.sourceTs };
    if (records.length === 0) {
      this.position = end;
      return;
    }
    const p = this.sink.append(records).then((refs) => {
      this.appended += records.length;
      this.position = end;
      collectChunks(refs, this.chunkIds);
      return this.o.onCommit?.({ position: end, records: this.appended, last: refs[refs.length - 1]! });
    });
    p.catch(() => {});
    this.inflight = p;
  }

  /** Waits for the append in flight. */
  settle(): Promise<void> {
    return this.inflight;
  }
}

/**
 * `chunks` until `signal` aborts — also while a read is pending (stdin waiting for input), so
 * a stop never waits for more data. The abandoned read is left to finish on its own. Each read
 * races a promise of its own, dropped after it: racing one long-lived promise would attach a
 * reaction per read that holds the read's block until the import ends (the whole input).
 */
async function* untilAborted(chunks: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  if (!signal) return yield* chunks;
  const it = chunks[Symbol.asyncIterator]();
  try {
    while (!signal.aborted) {
      const r = await nextUnlessAborted(it, signal);
      if (r === undefined || r.done) return;
      yield r.value;
    }
  } finally {
    void it.return?.()?.catch(() => {});
  }
}

/** The next item of `it`, or undefined once `signal` aborts first. */
async function nextUnlessAborted<T>(it: AsyncIterator<T>, signal: AbortSignal): Promise<IteratorResult<T> | undefined> {
  let onAbort = (): void => {};
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
  });
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await Promise.race([it.next(), aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
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
