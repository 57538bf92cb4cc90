/**
 * ChunkMeta builders for the file store: from a segment summary (sealed), from an active
 * chunk's running stats, and a zeroed placeholder for corrupt chunks with no catalog row.
 */

import type { ChunkId } from "../../core/ids.ts";
import type { ChunkMeta, TimeRange } from "../types.ts";
import type { ChunkStats } from "../stats.ts";
import { HEADER_BYTES } from "./format.ts";

/** The summary fields both the segment writer and reader report. */
export interface SegmentFacts {
  records: number;
  rawBytes: number;
  storedBytes: number;
  indexBytes: number;
  writeTs: TimeRange;
  ingestTs: TimeRange;
  eventTs: TimeRange;
  indexStatus: "none" | "complete" | "capped" | "failed";
  codec: string;
}

/** Meta of a sealed chunk from its segment summary. */
export function summaryMeta(id: ChunkId, store: string, createdAt: number, s: SegmentFacts): ChunkMeta {
  return {
    id,
    store,
    state: "sealed",
    records: s.records,
    rawBytes: s.rawBytes,
    storedBytes: s.storedBytes,
    createdAt,
    writeTs: { ...s.writeTs },
    ingestTs: { ...s.ingestTs },
    eventTs: { ...s.eventTs },
    codec: s.codec,
    indexStatus: s.indexStatus,
    indexBytes: s.indexBytes,
  };
}

/** An unsealed chunk as its meta needs it: the writer's ActiveChunk, or a read-only snapshot of one. */
export interface UnsealedChunk {
  readonly id: ChunkId;
  readonly state: "active" | "sealing";
  readonly createdAt: number;
  readonly stats: ChunkStats;
}

/** Meta of an active or sealing chunk from its running stats. */
export function activeMeta(c: UnsealedChunk, store: string): ChunkMeta {
  const s = c.stats;
  return {
    id: c.id,
    store,
    state: c.state,
    records: s.records,
    rawBytes: s.rawBytes,
    storedBytes: 3 * HEADER_BYTES + s.bytes,
    createdAt: c.createdAt,
    writeTs: s.writeRange(),
    ingestTs: s.ingestRange(),
    eventTs: s.eventRange(),
    codec: "",
    indexStatus: "none",
    indexBytes: 0,
  };
}

/** Zeroed meta (state "sealed") for chunks known only by id. */
export function emptyMeta(id: ChunkId, store: string, createdAt: number): ChunkMeta {
  const zero = () => ({ min: 0, max: 0 });
  return {
    id,
    store,
    state: "sealed",
    records: 0,
    rawBytes: 0,
    storedBytes: 0,
    createdAt,
    writeTs: zero(),
    ingestTs: zero(),
    eventTs: zero(),
    codec: "",
    indexStatus: "none",
    indexBytes: 0,
  };
}
