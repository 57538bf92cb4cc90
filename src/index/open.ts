/**
 * Opens a sealed chunk's indexes for one query (the ChunkIndexes contract in types.ts): a probe
 * asks every registered index type that serves its kind and unites their answers. Sections
 * open lazily on the first probe that needs them (a head read, or a cache hit), so a token
 * query never touches the attribute sections. Decoded parts live in the process cache under
 * the chunk's key, so making this object per query is cheap.
 */

import type { ByteCache } from "../storage/byte-cache.ts";
import type { ChunkView, IndexStatus, MaybePromise } from "../storage/types.ts";
import { unionPositions } from "./postings.ts";
import { INDEX_TYPES } from "./registry.ts";
import { viewSection, type ReadStats, type SectionContext, type TermSection } from "./section-context.ts";
import { openTermSection } from "./section.ts";
import type { ChunkIndexes, FieldValueSource, IndexProbe, ProbeAnswer } from "./types.ts";

/** The index types of record fields, in field resolution order. */
const FIELD_TYPES = INDEX_TYPES.filter((t) => t.fields !== undefined).sort((a, b) => a.fields!.rank - b.fields!.rank);

/** Where a chunk's decoded index parts are cached: the process cache and a key unique to the chunk. */
export interface IndexCacheScope {
  readonly cache: ByteCache;
  /** e.g. "idx:<store>/<chunk>/"; every section key of the chunk starts with it. */
  readonly key: string;
}

/** The read context of `view`'s section `name` in `scope`, or undefined when the chunk has none. */
export function sectionContext(view: ChunkView, name: string, scope: IndexCacheScope, stats: ReadStats): SectionContext | undefined {
  const source = viewSection(view, name);
  return source === undefined ? undefined : { source, cache: scope.cache, key: `${scope.key}${name}#`, stats };
}

/**
 * The chunk's indexes as the engine probes them, read through `view` (which must stay open
 * while they are probed); `status` is the chunk's index status.
 */
export function openChunkIndexes(view: ChunkView, status: IndexStatus, scope: IndexCacheScope): ChunkIndexes {
  const read: ReadStats = { bytes: 0, reads: 0 };
  const opened = new Map<string, TermSection | null>();
  /** The section of index type section `name`, or null when the chunk has none. Throws when damaged. */
  const section = (name: string): MaybePromise<TermSection | null> => {
    const known = opened.get(name);
    if (known !== undefined) return known;
    const ctx = sectionContext(view, name, scope, read);
    const s = ctx === undefined ? null : openTermSection(ctx);
    if (s instanceof Promise) return s.then((o) => (opened.set(name, o), o));
    opened.set(name, s);
    return s;
  };
  return {
    status,
    read,
    async probe(p: IndexProbe): Promise<ProbeAnswer> {
      const serving = INDEX_TYPES.filter((t) => t.answers.includes(p.kind));
      const sections: (TermSection | null)[] = [];
      for (const t of serving) {
        const s = section(t.section);
        sections.push(s instanceof Promise ? await s : s);
      }
      if (serving.length === 0 || sections.some((s) => s === null)) {
        return { kind: "runtime", reason: "index_missing", detail: `no ${serving.map((t) => t.title).join(" or ") || p.kind} index` };
      }
      const answers: ProbeAnswer[] = [];
      for (let i = 0; i < serving.length; i++) answers.push(await serving[i]!.probe(sections[i]!, p));
      const detail = answers.map((a) => a.detail).filter((d) => d !== "").join(" ");
      const miss = answers.find((a) => a.kind === "runtime");
      if (miss !== undefined) return { kind: "runtime", reason: miss.reason, detail };
      let positions: Uint32Array = new Uint32Array(0);
      for (const a of answers) if (a.kind === "positions") positions = unionPositions(positions, a.positions);
      return { kind: "positions", positions, detail };
    },
    async fieldValues(key: string): Promise<FieldValueSource[] | undefined> {
      const out: FieldValueSource[] = [];
      for (const t of FIELD_TYPES) {
        const opened = section(t.section);
        const s = opened instanceof Promise ? await opened : opened;
        const values = s === null ? undefined : await t.fields!.values(s, key);
        if (values === undefined) return undefined;
        out.push(values);
      }
      return out;
    },
  };
}
