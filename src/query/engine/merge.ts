/**
 * Searching several stores as one: a k-way merge (binary heap) of per-store search streams by
 * event time (sourceTs, else ingestTs), ties by store name; newest first when reversed. Each
 * store yields in its storage order, so the result is in exact event-time order when every
 * store's records are (the usual case: events arrive in time order); otherwise streams
 * interleave by their next match. Context records travel with their match. Pages continue
 * with a merged resume token that lists every store's position (merge-token.ts).
 */

import { eventTime } from "../../core/record.ts";
import { decodeMergeToken, encodeMergeToken, type StorePosition } from "./merge-token.ts";
import { splitAtHead } from "./merge-stages.ts";
import { Pacer } from "./pacer.ts";
import { encodeResume } from "./resume.ts";
import { search, type SearchOptions } from "./search.ts";
import type { SearchSource } from "./source.ts";
import type { SearchDone, SearchHit, SearchRequest } from "./types.ts";

/** One store's search stream with its next group (context-before, match, context-after). */
interface Stream {
  readonly name: string;
  readonly it: AsyncGenerator<SearchHit, SearchDone>;
  group: SearchHit[];
  /** Event time of the group's match. */
  key: number;
  /** An item read past the current group (the next group's first). */
  peek: SearchHit | undefined;
  ended: boolean;
  /** Where the next page starts for this store. */
  position: StorePosition;
}

/**
 * Searches `sources` as one result ordered by event time. `req.limit` counts matches across
 * all stores; when it stops the search, the returned resume token continues every store where
 * it left off. A store added after a token was issued is searched from its start.
 */
export async function* searchMerged(sources: readonly SearchSource[], req: SearchRequest, opts: SearchOptions = {}): AsyncGenerator<SearchHit, SearchDone> {
  const start = req.resume !== undefined ? decodeMergeToken(req.resume, req.reverse) : undefined;
  const split = splitAtHead(req.stages ?? []);
  const pacer = new Pacer(opts.signal);
  const streams: Stream[] = [];
  for (const src of [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const position: StorePosition = start?.stores[src.name] ?? { kind: "start" };
    if (position.kind === "done") continue;
    const sub: SearchRequest = { ...req, stages: [...split.perStore], limit: 0, resume: position.kind === "after" ? position.token : undefined };
    if (sub.resume === undefined) delete sub.resume;
    streams.push({ name: src.name, it: search(src, sub, opts), group: [], key: 0, peek: undefined, ended: false, position });
  }
  const done = new Set(sources.filter((s) => start?.stores[s.name]?.kind === "done").map((s) => s.name));
  const heap = new StreamHeap(req.reverse);
  try {
    for (const s of streams) if (await fillGroup(s, req.contextAfter, req.reverse)) heap.push(s);
    // `matches` counts merged matches for the first head; `shown` the ones passing the stages after it, for the page limit.
    let matches = 0;
    let shown = 0;
    for (let s = heap.pop(); s !== undefined && matches < split.head && !split.after.exhausted(); s = heap.pop()) {
      const match = s.group.find((h) => !h.context);
      const keep = match === undefined || (await split.after.keeps(match.record, pacer));
      for (const hit of s.group) {
        if (keep) yield hit;
        if (!hit.context) s.position = { kind: "after", token: encodeResume({ store: s.name, chunk: hit.ref.chunk, pos: hit.ref.pos, reverse: req.reverse }) };
      }
      if (await fillGroup(s, req.contextAfter, req.reverse)) heap.push(s);
      else done.add(s.name);
      ++matches;
      if (keep && match !== undefined) shown++;
      if (matches < split.head && !split.after.exhausted() && req.limit > 0 && shown >= req.limit) {
        if (heap.size() === 0) return {};
        const stores: Record<string, StorePosition> = {};
        for (const name of done) stores[name] = { kind: "done" };
        for (const x of streams) if (!done.has(x.name)) stores[x.name] = x.position;
        return { resume: encodeMergeToken({ reverse: req.reverse, stores }) };
      }
    }
    return {};
  } finally {
    await Promise.all(streams.map((s) => s.it.return({})));
  }
}

/**
 * Reads `s`'s next group: context records up to and including a match, then up to
 * `contextAfter` context records that follow it. False when the stream has nothing left.
 */
async function fillGroup(s: Stream, contextAfter: number, reverse: boolean): Promise<boolean> {
  s.group = [];
  let matched = false;
  while (!s.ended) {
    const item = s.peek ?? (await read(s));
    s.peek = undefined;
    if (item === undefined) break;
    if (matched && (!item.context || afterCount(s.group) >= contextAfter)) {
      s.peek = item;
      break;
    }
    s.group.push(item);
    if (!item.context) {
      matched = true;
      s.key = eventTime(item.record);
      if (contextAfter === 0) break;
    }
  }
  if (s.group.length > 0 && !matched) s.key = reverse ? -Infinity : Infinity;
  return s.group.length > 0;
}

/** Context records after the group's match. */
function afterCount(group: readonly SearchHit[]): number {
  let n = 0;
  for (let i = group.length - 1; i >= 0 && group[i]!.context; i--) n++;
  return n;
}

async function read(s: Stream): Promise<SearchHit | undefined> {
  const r = await s.it.next();
  if (!r.done) return r.value;
  s.ended = true;
  return undefined;
}

/** Min-heap of streams by key (max-heap when reversed), ties by store name ascending. */
class StreamHeap {
  private readonly items: Stream[] = [];

  constructor(private readonly reverse: boolean) {}

  size(): number {
    return this.items.length;
  }

  push(s: Stream): void {
    const a = this.items;
    a.push(s);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): Stream | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && this.before(a[l]!, a[m]!)) m = l;
      if (r < a.length && this.before(a[r]!, a[m]!)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
    return top;
  }

  private before(x: Stream, y: Stream): boolean {
    if (x.key !== y.key) return this.reverse ? x.key > y.key : x.key < y.key;
    return x.name < y.name;
  }
}
