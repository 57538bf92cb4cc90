/**
 * What every local ChunkReader shares: a bidirectional cursor over itself and byte-range
 * section reads over sections held in memory (none unless the reader says otherwise), so the
 * ChunkView contract costs readers nothing. Implementations supply records, batches, blocks and
 * seeks; a reader whose sections live in a file (the sealed segment reader) overrides
 * sectionSize/readSection to read them by range.
 */

import { LogError } from "../core/errors.ts";
import type { LogRecord } from "../core/record.ts";
import { ChunkCursor } from "./cursor.ts";
import { checkSectionRange } from "./reader-checks.ts";
import type { BlockInfo, ChunkMeta, ChunkReader, Cursor, RecordBatch } from "./types.ts";

export abstract class LocalChunkReader implements ChunkReader {
  abstract readonly meta: ChunkMeta;
  abstract count(): number;
  abstract record(pos: number): LogRecord;
  abstract batches(from: number, to: number): Iterable<RecordBatch>;
  abstract blocks(): readonly BlockInfo[];
  abstract lowerBoundWriteTs(ts: number): number;
  abstract close(): void;

  cursor(): Cursor {
    return new ChunkCursor(this);
  }

  /** Section `name` as held in memory, or undefined (the default: active chunks have none). */
  protected heldSection(_name: string): Uint8Array | undefined {
    return undefined;
  }

  sectionSize(name: string): number | undefined {
    return this.heldSection(name)?.length;
  }

  readSection(name: string, offset: number, length: number): Uint8Array {
    const bytes = this.heldSection(name);
    if (bytes === undefined) throw new LogError("not_found", `chunk ${this.meta.id} has no section "${name}"`);
    checkSectionRange(this.meta.id, name, bytes.length, offset, length);
    return bytes.subarray(offset, offset + length);
  }
}
