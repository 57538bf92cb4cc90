/**
 * Context windows: up to N records before and after each match in storage iteration order,
 * across chunk boundaries, unfiltered, each record shown once (windows that overlap or reach a
 * match are merged), marked as context. Context does not count toward the limit. Chunks are
 * opened (through ChunkView, possibly asynchronously) only when a window steps into them.
 */

import type { ChunkMeta, ChunkView } from "../../storage/types.ts";
import type { SearchSource } from "./source.ts";
import type { SearchHit, SearchRequest } from "./types.ts";

/** A record's place in iteration order: index into the ordered chunk list, and position. */
export interface SeqPoint {
  ci: number;
  pos: number;
}

export class ContextWindow {
  private readonly readers = new Map<number, ChunkView>();
  /** Last point yielded (match or context), in iteration order. */
  private last: SeqPoint | undefined;
  private afterLeft = 0;

  constructor(
    private readonly src: SearchSource,
    private readonly chunks: readonly ChunkMeta[],
    private readonly req: SearchRequest,
  ) {}

  /** Yields pending after-context up to the match at `m`, then its before-context. */
  async *before(m: SeqPoint): AsyncGenerator<SearchHit> {
    yield* this.after(m);
    const start: SeqPoint[] = [];
    let p: SeqPoint | undefined = m;
    for (let k = 0; k < this.req.contextBefore; k++) {
      p = await this.step(p, -1);
      if (!p || (this.last && this.compare(p, this.last) <= 0)) break;
      start.push(p);
    }
    for (let k = start.length - 1; k >= 0; k--) yield await this.hit(start[k]!);
  }

  /** Notes that the match at `m` was yielded. */
  matched(m: SeqPoint): void {
    this.last = m;
    this.afterLeft = this.req.contextAfter;
  }

  /** Yields the after-context still owed to the last match. */
  flush(): AsyncGenerator<SearchHit> {
    return this.after(undefined);
  }

  close(): void {
    for (const r of this.readers.values()) r.close();
    this.readers.clear();
  }

  private async *after(limit: SeqPoint | undefined): AsyncGenerator<SearchHit> {
    while (this.afterLeft > 0 && this.last) {
      const next = await this.step(this.last, 1);
      if (!next || (limit && this.compare(next, limit) >= 0)) break;
      this.afterLeft--;
      yield await this.hit(next);
    }
    this.afterLeft = 0;
  }

  private async hit(p: SeqPoint): Promise<SearchHit> {
    this.last = p;
    const meta = this.chunks[p.ci]!;
    return { store: this.src.name, ref: { chunk: meta.id, pos: p.pos }, record: await (await this.reader(p.ci)).record(p.pos), context: true };
  }

  private async reader(ci: number): Promise<ChunkView> {
    let r = this.readers.get(ci);
    if (!r) {
      r = await this.src.store.open(this.chunks[ci]!.id);
      this.readers.set(ci, r);
    }
    return r;
  }

  /** Compares two points in iteration order. */
  private compare(a: SeqPoint, b: SeqPoint): number {
    if (a.ci !== b.ci) return a.ci - b.ci;
    return this.req.reverse ? b.pos - a.pos : a.pos - b.pos;
  }

  /** The neighbour of `p` in iteration order (dir 1 = next, -1 = previous), crossing chunks. */
  private async step(p: SeqPoint, dir: 1 | -1): Promise<SeqPoint | undefined> {
    const storageDir = this.req.reverse ? -dir : dir;
    let ci = p.ci;
    let pos = p.pos + storageDir;
    for (;;) {
      if (pos >= 0 && pos < (await this.count(ci))) return { ci, pos };
      ci += dir;
      if (ci < 0 || ci >= this.chunks.length) return undefined;
      pos = storageDir > 0 ? 0 : (await this.count(ci)) - 1;
    }
  }

  private async count(ci: number): Promise<number> {
    try {
      return (await this.reader(ci)).count();
    } catch {
      return 0; // a chunk deleted meanwhile has no neighbours to show
    }
  }
}
