/**
 * What every local ChunkReader shares: a bidirectional cursor over itself and byte-range
 * section reads over its whole-section views (so the ChunkView contract costs readers nothing).
 * Implementations supply records, batches, blocks, seeks and sections.
 */

import { LogError } from "../core/errors.ts";
import type { LogRecord } from "../core/record.ts";
import { ChunkCursor } from "./cursor.ts";
import type { BlockInfo, ChunkMeta, ChunkReader, Cursor, RecordBatch } from "./types.ts";

export abstract class LocalChunkReader implements ChunkReader {
  abstract readonly meta: ChunkMeta;
  abstract count(): number;
  abstract record(pos: number): LogRecord;
  abstract batches(from: number, to: number): Iterable<RecordBatch>;
  abstract blocks(): readonly BlockInfo[];
  abstract lowerBoundWriteTs(ts: number): number;
  abstract section(name: string): Uint8Array | undefined;
  abstract close(): void;

  cursor(): Cursor {
    return new ChunkCursor(this);
  }

  sectionSize(name: string): number | undefined {
    return this.section(name)?.length;
  }

  readSection(name: string, offset: number, length: number): Uint8Array {
    const bytes = this.section(name);
    if (bytes === undefined) throw new LogError("not_found", `chunk ${this.meta.id} has no section "${name}"`);
    if (!(Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0 && offset + length <= bytes.length)) {
      throw new LogError("invalid_argument", `range [${offset}, ${offset + length}) is outside section "${name}" (${bytes.length} bytes) of chunk ${this.meta.id}`);
    }
    return bytes.subarray(offset, offset + length);
  }
}
