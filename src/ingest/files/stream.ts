/**
 * The decoding chain of one followed file — LineFeeder (lines + offsets, encoding, length
 * limit) → Decoder (envelope formats, partial lines) → RecordAssembler (multi-line joining,
 * resume point) — fed with chunks of file bytes, plus the records to drop when resuming after
 * a crash (already stored). take() hands out finished records and the position to commit.
 */

import type { Draft } from "../checkpoint/checkpointer.ts";
import type { FilePosition, RecordAssembler } from "./assembler.ts";
import type { Decoder } from "./decoder.ts";
import { lineFeeder, type Encoding, type LineFeeder } from "./line-feeder.ts";

/** Decoder and assembler for one file, built by the receiver type (text, Docker, CRI). */
export interface Chain {
  decoder: Decoder;
  assembler: RecordAssembler;
}

/** Parses a stored file position ("{o,k}"); a bad one reads from the start. */
export function parsePosition(s: string): FilePosition {
  try {
    const p = JSON.parse(s) as Partial<FilePosition>;
    if (typeof p.o === "number" && typeof p.k === "number") return { o: p.o, k: p.k };
  } catch {
    // fall through
  }
  return { o: 0, k: 0 };
}

export function formatPosition(p: FilePosition): string {
  return JSON.stringify({ o: p.o, k: p.k });
}

export class FileStream {
  private readonly feeder: LineFeeder;
  /** Records still to drop (already stored before a restart). */
  private remaining: number;
  private last: string;

  /** Starts at `from`; `from.k` plus `extraSkip` records after it are dropped. */
  constructor(
    private readonly chain: Chain,
    encoding: Encoding,
    maxLine: number,
    from: FilePosition,
    extraSkip: number,
  ) {
    this.feeder = lineFeeder(chain.decoder, maxLine, encoding);
    chain.assembler.upstreamHeld = () => chain.decoder.heldFrom();
    chain.assembler.startAt(from.o);
    this.remaining = from.k + extraSkip;
    this.last = formatPosition({ o: from.o, k: this.remaining });
  }

  /** Feeds bytes that start at file offset `offset`. */
  feed(chunk: Uint8Array, offset: number): void {
    this.feeder.push(chunk, offset);
  }

  /** Hands out what is held (partials, a multi-line record) but keeps an unterminated line. */
  flushHeld(): void {
    this.chain.decoder.flush();
    this.chain.assembler.flush();
  }

  /** End of a file that will not grow: everything becomes records. */
  finish(): void {
    this.feeder.end();
    this.flushHeld();
  }

  /** True while lines are held back for joining. */
  get holding(): boolean {
    return this.chain.assembler.holding || this.chain.decoder.heldFrom() >= 0;
  }

  /**
   * Records finished since the last call (minus those to drop) and the position after them,
   * or undefined when neither changed.
   */
  take(): { records: Draft[]; position: string } | undefined {
    const a = this.chain.assembler;
    let records = a.out;
    a.out = [];
    if (this.remaining > 0 && records.length > 0) {
      const drop = Math.min(this.remaining, records.length);
      this.remaining -= drop;
      records = records.slice(drop);
    }
    const p = a.resume();
    const position = formatPosition({ o: p.o, k: p.k + this.remaining });
    if (records.length === 0 && position === this.last) return undefined;
    this.last = position;
    return { records, position };
  }
}
