/**
 * Split seals: one chunk's seal on two threads. The writer (the seal job) compresses the blocks
 * and runs some section builders; a helper thread reads the same active chunk files, runs the
 * other builders, writes their finished sections to `<segment>.part.tmp` and flips a word of
 * shared memory. In the writer, placeholder builders stand for the helper's: when the sections
 * are written they wait on that word (Atomics.wait — only inside a worker), read the part file
 * and delete it. Sections keep their builder order, outcomes and errors, so a split seal writes
 * the same segment as one thread would. If the helper fails, the placeholders throw SealAbort:
 * the seal fails as a whole and the chunk stays active (sealed again later), so a segment never
 * lacks a section because a thread died. A leftover part file ends in `.tmp` and is removed by
 * recovery like a partial segment.
 */

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { errorMessage, LogError } from "../../core/errors.ts";
import type { GcPacer } from "../../core/gc-pacer.ts";
import { SealAbort } from "../segment/sections.ts";
import type { RecordBatch, SectionBuilder, SectionStatus } from "../types.ts";
import { TMP_SUFFIX } from "./format.ts";

/** The link of the two halves of a split seal (plain data, posted to both workers). */
export interface SealSplit {
  /** 4 bytes of shared memory: an Int32 state word (PENDING, then DONE or FAILED). */
  state: SharedArrayBuffer;
}

const PENDING = 0;
const DONE = 1;
const FAILED = 2;
/** Longest single wait before the writer looks at the state word again (ms). */
const WAIT_SLICE_MS = 1000;

/** A fresh link for one split seal. */
export function newSealSplit(): SealSplit {
  return { state: new SharedArrayBuffer(4) };
}

/** Marks the helper's half failed unless it finished (the main thread does this when the helper dies). */
export function failSealSplit(split: SealSplit): void {
  const word = new Int32Array(split.state);
  if (Atomics.compareExchange(word, 0, PENDING, FAILED) === PENDING) Atomics.notify(word, 0);
}

/** Where the helper leaves the sections of the segment at `segmentPath`. */
export function partPath(segmentPath: string): string {
  return `${segmentPath}.part${TMP_SUFFIX}`;
}

/** One helper builder's result: its section or the message it failed with. */
type PartEntry = { name: string; status: SectionStatus; length: number } | { name: string; error: string };

/** Part file: u32 LE length of a JSON list of PartEntry, the JSON, then the section bytes in that order. */
function encodePart(entries: PartEntry[], sections: Uint8Array[]): Uint8Array {
  const head = new TextEncoder().encode(JSON.stringify(entries));
  const out = new Uint8Array(4 + head.length + sections.reduce((n, s) => n + s.length, 0));
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  let at = 4 + head.length;
  for (const s of sections) {
    out.set(s, at);
    at += s.length;
  }
  return out;
}

/**
 * The helper's half: builds the sections of `builders` one at a time, each from its own pass
 * over the chunk's batches, so one builder's tables are alive at a time (all of them growing
 * together held up to ~45 MiB; a pass re-reads the chunk from the page cache, ~1% of the
 * seal's time). Then writes the part file next to the segment and reports DONE; `gc` paces
 * collections per batch and collects after each section (FAILED if anything outside a builder
 * threw, which it rethrows). A builder that throws is reported by name, as the writer's
 * SectionRunner would record it.
 */
export function runSealHelper(split: SealSplit, segmentPath: string, batches: () => Iterable<RecordBatch>, builders: SectionBuilder[], gc: GcPacer): void {
  let outcome = FAILED;
  try {
    const entries: PartEntry[] = [];
    const sections: Uint8Array[] = [];
    for (const b of builders) {
      let error = feed(b, batches(), gc);
      if (error === undefined) {
        try {
          const r = b.finish();
          entries.push({ name: b.name, status: r.status, length: r.bytes.length });
          sections.push(r.bytes);
        } catch (err) {
          error = errorMessage(err);
        }
      }
      if (error !== undefined) entries.push({ name: b.name, error });
      gc.collect();
    }
    writeFileSync(partPath(segmentPath), encodePart(entries, sections));
    outcome = DONE;
  } finally {
    const word = new Int32Array(split.state);
    Atomics.store(word, 0, outcome);
    Atomics.notify(word, 0);
  }
}

/** Adds every batch to `b`; returns the message it threw with (reading errors propagate). */
function feed(b: SectionBuilder, batches: Iterable<RecordBatch>, gc: GcPacer): string | undefined {
  for (const batch of batches) {
    try {
      b.add(batch);
    } catch (err) {
      return errorMessage(err);
    }
    gc.tick();
  }
  return undefined;
}

/** What the helper gave for one section. */
type HelperResult = { status: SectionStatus; bytes: Uint8Array } | { error: string };

/** The writer's half: placeholders for the helper's builders, answered from its part file. */
export class HelperSections {
  private results: Map<string, HelperResult> | undefined;

  constructor(
    private readonly split: SealSplit,
    private readonly segmentPath: string,
  ) {}

  /** Stands for the helper's builder `name`: adds nothing, finishes with the helper's result. */
  placeholder(name: string): SectionBuilder {
    return {
      name,
      add: () => {},
      finish: () => {
        const r = this.take().get(name);
        if (r === undefined) throw new SealAbort(`the seal helper did not build section "${name}"`);
        if ("error" in r) throw new LogError("internal", r.error);
        return r;
      },
    };
  }

  /** Waits for the helper to end (seal failed or done early) and removes its part file. */
  discard(): void {
    this.wait();
    rmSync(partPath(this.segmentPath), { force: true });
  }

  private take(): Map<string, HelperResult> {
    if (this.results) return this.results;
    if (this.wait() !== DONE) throw new SealAbort(`the seal helper thread failed building sections of ${this.segmentPath}`);
    const path = partPath(this.segmentPath);
    const file = readFileSync(path);
    rmSync(path, { force: true });
    const headLength = new DataView(file.buffer, file.byteOffset).getUint32(0, true);
    const entries = JSON.parse(new TextDecoder().decode(file.subarray(4, 4 + headLength))) as PartEntry[];
    const results = new Map<string, HelperResult>();
    let at = 4 + headLength;
    for (const e of entries) {
      if ("error" in e) results.set(e.name, { error: e.error });
      else {
        results.set(e.name, { status: e.status, bytes: file.subarray(at, at + e.length) });
        at += e.length;
      }
    }
    this.results = results;
    return results;
  }

  /** Blocks until the state word leaves PENDING; returns it. */
  private wait(): number {
    const word = new Int32Array(this.split.state);
    while (Atomics.load(word, 0) === PENDING) Atomics.wait(word, 0, PENDING, WAIT_SLICE_MS);
    return Atomics.load(word, 0);
  }
}
