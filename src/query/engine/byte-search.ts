/**
 * Index answers for chunks without indexes that can search their raw bytes (text files read in
 * place, ChunkView.positionsContaining): a token probe becomes one native byte search for the
 * token's anchor (its longest run of bytes case folding leaves alone, anchor.ts) over the whole
 * chunk, each occurrence checked where it lies the way the token predicate checks a hit (the
 * whole token, ASCII case folded, with no token character either side), and the records holding
 * one are the candidates — still marked narrowed, so the scan checks each. The planner then
 * reads only the blocks with candidates instead of splitting every line, which is what makes
 * the embedded first answer fast. Probes with no anchor, and every other probe kind, are
 * answered by the scan.
 */

import { ASCII_LOWER } from "../../core/ascii.ts";
import type { ChunkIndexes, IndexProbe, ProbeAnswer } from "../../index/types.ts";
import type { ChunkView, HitFilter } from "../../storage/types.ts";
import { anchorOf, type Anchor } from "./anchor.ts";
import { endsToken, TOKEN_CHAR } from "./predicates/token.ts";

const encoder = new TextEncoder();

/** Accepts an anchor occurrence where the whole token `t` (lowercased bytes) lies around it. */
function wholeToken(t: Uint8Array, anchor: Anchor): HitFilter {
  return (bytes, at, start, end) => {
    const h = at - anchor.offset;
    if (h < start || h + t.length > end) return false;
    for (let i = 0; i < t.length; i++) if (ASCII_LOWER[bytes[h + i]!] !== t[i]) return false;
    if (h > start && TOKEN_CHAR[bytes[h - 1]!] === 1) return false;
    return endsToken(h + t.length, t.length, end, bytes[h + t.length]!);
  };
}

/** ChunkIndexes over `view`'s byte search, or undefined when the view has none. */
export function byteSearchIndexes(view: ChunkView): ChunkIndexes | undefined {
  const search = view.positionsContaining?.bind(view);
  if (search === undefined) return undefined;
  return {
    status: "none",
    read: { bytes: 0, reads: 0 },
    async probe(p: IndexProbe): Promise<ProbeAnswer> {
      if (p.kind !== "token") return { kind: "runtime", reason: "index_missing", detail: "no indexes: scan" };
      const token = encoder.encode(p.token);
      const anchor = anchorOf(token);
      if (anchor === undefined) return { kind: "runtime", reason: "index_missing", detail: "no indexes, no byte anchor: scan" };
      const positions = search(anchor.bytes, wholeToken(token, anchor));
      return { kind: "positions", positions, detail: `byte search '${new TextDecoder().decode(anchor.bytes)}'=${positions.length}`, narrowed: true };
    },
  };
}
