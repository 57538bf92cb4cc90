/**
 * What a planned chunk will cost to run (explain's estimate): the blocks and bytes to
 * decompress (each block's share of the chunk's raw bytes), the records to scan, the index bytes
 * the planning read, and the expected time at a scan rate — the rate this process measured on
 * finished scans (ScanRate), else the bench's full-scan rate.
 */

import { blockIndexOf } from "../../storage/reader-checks.ts";
import type { BlockInfo, ChunkMeta } from "../../storage/types.ts";
import type { ChunkWork } from "./chunk-planner.ts";
import type { ChunkCost } from "./types.ts";

/** Raw bytes scanned per millisecond before any scan was measured (bench query/aggregate, 1 core). */
export const DEFAULT_SCAN_BYTES_PER_MS = 500_000;
/** Weight of the newest measurement in the moving average. */
const ALPHA = 0.2;
/** Scans smaller or shorter than these say more about overheads than about the rate: not measured. */
const MIN_MEASURED_BYTES = 1 << 20;
const MIN_MEASURED_MS = 5;

/** A moving average of the raw bytes scanned per millisecond by this process's queries. */
export class ScanRate {
  private rate = DEFAULT_SCAN_BYTES_PER_MS;

  /** The current estimate (bytes per ms). */
  get bytesPerMs(): number {
    return this.rate;
  }

  /** Records one finished scan of `bytes` raw bytes that took `ms`. */
  observe(bytes: number, ms: number): void {
    if (ms < MIN_MEASURED_MS || bytes < MIN_MEASURED_BYTES) return;
    this.rate = (1 - ALPHA) * this.rate + ALPHA * (bytes / ms);
  }
}

/** The cost of running `work` on a chunk with `blocks`; `indexBytes` read while planning it. */
export function chunkCost(meta: ChunkMeta, blocks: readonly BlockInfo[], work: ChunkWork, indexBytes: number, bytesPerMs: number): ChunkCost {
  const perRecord = meta.records > 0 ? meta.rawBytes / meta.records : 0;
  let touched = 0;
  let records = 0;
  let blockRecords = 0;
  if (work.plan.scanMode === "index-driven" && work.candidates) {
    records = work.candidates.length;
    let last = -1;
    for (const p of work.candidates) {
      const b = blockIndexOf(blocks, p);
      if (b === last) continue;
      last = b;
      touched++;
      blockRecords += blocks[b]!.count;
    }
  } else if (work.plan.scanMode === "sequential") {
    for (const [from, to] of work.ranges ?? []) {
      records += to - from;
      for (const b of blocks) {
        if (b.first + b.count <= from || b.first >= to) continue;
        touched++;
        blockRecords += b.count;
      }
    }
  }
  // An active chunk reports one block whose count may lag the records planned.
  const bytes = Math.round(Math.max(blockRecords, records) * perRecord);
  return { blocks: touched, bytes, records, indexBytes, millis: bytes / bytesPerMs };
}

/** The sum of chunk costs (the query's total). */
export function totalCost(costs: readonly ChunkCost[]): ChunkCost {
  const t: ChunkCost = { blocks: 0, bytes: 0, records: 0, indexBytes: 0, millis: 0 };
  for (const c of costs) {
    t.blocks += c.blocks;
    t.bytes += c.bytes;
    t.records += c.records;
    t.indexBytes += c.indexBytes;
    t.millis += c.millis;
  }
  return t;
}
