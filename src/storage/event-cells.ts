/**
 * The event-cells section of a sealed segment: per block, how many records have their event
 * time (sourceTs, else ingestTs) in each whole second — runs of (cell, count), ascending. A count
 * by time bucket reads it for a block that a bucket or range boundary cuts instead of
 * decompressing the block: each cell lies wholly inside one bucket unless a boundary falls inside
 * that second (then the block is read). A few hundred bytes per block; a block whose records
 * spread over more cells than EVENT_CELLS_MAX_SHARE of its count gets none (read as before).
 *
 *   version u8 (1) │ grain varint (µs per cell) │ blockCount varint
 *   per block: runs varint (0: no summary) │ first cell varint │ count varint
 *              │ (runs − 1) × (cell − previous cell varint (> 0), count varint)
 *
 * Counts of a block's runs add up to its record count (the decoder checks it against the
 * directory). Older segments have no such section; readers fall back to the blocks.
 */

import { ByteWriter } from "../core/bytes/growable.ts";
import { readVarint } from "../core/bytes/varint.ts";

/** Name of the section in a segment's section table. */
export const EVENT_CELLS_SECTION = "event-cells";
/** Bytes of the index sections among `sections`: every section but this one (a data summary). */
export function indexSectionBytes(sections: readonly { name: string; length: number }[]): number {
  return sections.reduce((sum, s) => (s.name === EVENT_CELLS_SECTION ? sum : sum + s.length), 0);
}
/** Microseconds per cell: whole seconds. */
export const EVENT_CELL_GRAIN = 1_000_000;
/** A block summarized in more runs than this share of its records gets no summary (size bound). */
export const EVENT_CELLS_MAX_SHARE = 1 / 8;
const VERSION = 1;

/** One block's runs: cells[k] (event time ÷ grain, floored) holds counts[k] records. */
export interface CellRuns {
  cells: Float64Array;
  counts: Uint32Array;
}

/** Collects the runs of each block while a segment is written; finish() encodes the section. */
export class EventCellsWriter {
  private readonly out = new ByteWriter(4096);
  private blocks = 0;
  private cells: number[] = [];
  private counts: number[] = [];
  private sorted = true;

  /** One record's event time (µs), in block order. */
  add(t: number): void {
    const c = Math.floor(t / EVENT_CELL_GRAIN);
    const last = this.cells.length - 1;
    if (last >= 0 && this.cells[last] === c) {
      this.counts[last]!++;
      return;
    }
    if (last >= 0 && c < this.cells[last]!) this.sorted = false;
    this.cells.push(c);
    this.counts.push(1);
  }

  /** Ends the current block of `count` records (every one of them passed to add). */
  endBlock(count: number): void {
    const limit = Math.max(1, count * EVENT_CELLS_MAX_SHARE);
    const w = this.out;
    // Sorted runs are distinct cells; unsorted ones are merged only when few enough distinct
    // cells remain (records out of time order are mostly many cells: no summary, no merge).
    if (this.cells.length > limit && (this.sorted || distinctCells(this.cells) > limit)) w.varint(0);
    else {
      const [cells, counts] = this.sorted ? [this.cells, this.counts] : merged(this.cells, this.counts);
      w.varint(cells.length);
      for (let k = 0; k < cells.length; k++) {
        w.varint(k === 0 ? cells[0]! : cells[k]! - cells[k - 1]!);
        w.varint(counts[k]!);
      }
    }
    this.blocks++;
    this.cells = [];
    this.counts = [];
    this.sorted = true;
  }

  /** The section's bytes. */
  finish(): Uint8Array {
    const head = new ByteWriter(16);
    head.u8(VERSION);
    head.varint(EVENT_CELL_GRAIN);
    head.varint(this.blocks);
    const h = head.finish();
    const body = this.out.finish();
    const bytes = new Uint8Array(h.length + body.length);
    bytes.set(h);
    bytes.set(body, h.length);
    return bytes;
  }
}

/** Number of distinct values among `cells` (a native numeric sort: no comparator call per pair). */
function distinctCells(cells: readonly number[]): number {
  const sorted = Float64Array.from(cells).sort();
  let n = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) n++;
  return n;
}

/** Runs sorted by cell, equal cells merged. */
function merged(cells: readonly number[], counts: readonly number[]): [number[], number[]] {
  const order = cells.map((_, k) => k).sort((a, b) => cells[a]! - cells[b]!);
  const outCells: number[] = [];
  const outCounts: number[] = [];
  for (const k of order) {
    const last = outCells.length - 1;
    if (last >= 0 && outCells[last] === cells[k]) outCounts[last]! += counts[k]!;
    else {
      outCells.push(cells[k]!);
      outCounts.push(counts[k]!);
    }
  }
  return [outCells, outCounts];
}

/** A decoded section: the grain and each block's runs (undefined for a block without). */
export interface EventCells {
  grain: number;
  blocks: (CellRuns | undefined)[];
}

/**
 * Decodes the section of a segment whose blocks hold `blockCounts` records each. Throws
 * RangeError when it is malformed or disagrees with the blocks.
 */
export function decodeEventCells(bytes: Uint8Array, blockCounts: readonly number[]): EventCells {
  if (bytes.length < 1 || bytes[0] !== VERSION) throw new RangeError(`event-cells section version ${bytes[0]} unknown`);
  const cur = { pos: 1 };
  const grain = readVarint(bytes, cur);
  const n = readVarint(bytes, cur);
  if (grain === 0 || n !== blockCounts.length) throw new RangeError(`event-cells section describes ${n} blocks of grain ${grain}, the segment has ${blockCounts.length}`);
  const blocks: (CellRuns | undefined)[] = new Array(n);
  for (let b = 0; b < n; b++) {
    const runs = readVarint(bytes, cur);
    if (runs === 0) continue;
    if (runs > blockCounts[b]!) throw new RangeError(`event-cells block ${b}: ${runs} runs for ${blockCounts[b]} records`);
    const cells = new Float64Array(runs);
    const counts = new Uint32Array(runs);
    let cell = 0;
    let total = 0;
    for (let k = 0; k < runs; k++) {
      const step = readVarint(bytes, cur);
      if (k > 0 && step === 0) throw new RangeError(`event-cells block ${b}: cells out of order`);
      cells[k] = cell += step;
      total += counts[k] = readVarint(bytes, cur);
    }
    if (total !== blockCounts[b]) throw new RangeError(`event-cells block ${b}: runs hold ${total} records, the block ${blockCounts[b]}`);
    blocks[b] = { cells, counts };
  }
  if (cur.pos !== bytes.length) throw new RangeError(`${bytes.length - cur.pos} trailing event-cells bytes`);
  return { grain, blocks };
}
