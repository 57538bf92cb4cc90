/**
 * Index answers for chunks without indexes that can search their raw bytes (text files read in
 * place, ChunkView.positionsContaining): a token probe becomes one native byte search for the
 * token's anchor (its longest run of bytes case folding leaves alone, anchor.ts) over the whole
 * chunk, and the records holding it are the candidates — narrowed, so the scan still checks
 * each. The planner then reads only the blocks with candidates instead of splitting every line,
 * which is what makes the embedded first answer fast. Probes with no anchor, and every other probe
 * kind, are answered by the scan.
 */

import type { ChunkIndexes, FieldValueSource, IndexProbe, ProbeAnswer } from "../../index/types.ts";
import type { ChunkView } from "../../storage/types.ts";
import { anchorOf } from "./anchor.ts";

const encoder = new TextEncoder();

/** ChunkIndexes over `view`'s byte search, or undefined when the view has none. */
export function byteSearchIndexes(view: ChunkView): ChunkIndexes | undefined {
  const search = view.positionsContaining?.bind(view);
  if (search === undefined) return undefined;
  return {
    status: "none",
    read: { bytes: 0, reads: 0 },
    async probe(p: IndexProbe): Promise<ProbeAnswer> {
      if (p.kind !== "token") return { kind: "runtime", reason: "index_missing", detail: "no indexes: scan" };
      const anchor = anchorOf(encoder.encode(p.token));
      if (anchor === undefined) return { kind: "runtime", reason: "index_missing", detail: "no indexes, no byte anchor: scan" };
      const positions = search(anchor.bytes);
      return { kind: "positions", positions, detail: `byte search '${new TextDecoder().decode(anchor.bytes)}'=${positions.length}`, narrowed: true };
    },
    fieldValues: async (): Promise<FieldValueSource[] | undefined> => undefined,
  };
}
