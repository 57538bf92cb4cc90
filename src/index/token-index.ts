/**
 * The token index type ("token", section idx.tokens): every record's tokens (token-builder.ts),
 * exact by design, so an absent token proves a chunk holds no such record. Answers token probes
 * and token-prefix probes (a range scan of the sorted dictionary, up to MAX_PREFIX_TERMS terms);
 * its statistics are the token frequency distribution.
 */

import type { IndexType } from "./index-type.ts";
import { frequencyStats } from "./index-stats.ts";
import { requireIndex } from "./section-context.ts";
import { unionMany } from "./postings.ts";
import type { ProbeAnswer, TermIndex } from "./types.ts";
import { TOKEN_INDEX, TOKEN_SECTION, TokenIndexBuilder } from "./token-builder.ts";

const EMPTY = new Uint32Array(0);

/** Most dictionary terms a prefix lookup unites; past it the probe says "scan". */
export const MAX_PREFIX_TERMS = 4096;

/** The records holding any term starting with `prefix` (sorted, distinct). */
async function prefixPositions(index: TermIndex, prefix: string): Promise<ProbeAnswer> {
  const lists: Uint32Array[] = [];
  for await (const entry of index.prefix(prefix)) {
    if (lists.length === MAX_PREFIX_TERMS) {
      return { kind: "runtime", reason: "value_not_indexed", detail: `prefix '${prefix}' has more than ${MAX_PREFIX_TERMS} terms` };
    }
    lists.push(await entry.positions());
  }
  const positions = unionMany(lists);
  return { kind: "positions", positions, detail: `prefix '${prefix}': ${lists.length} terms, ${positions.length} records` };
}

export const tokenIndex: IndexType = {
  name: "token",
  title: "token",
  section: TOKEN_SECTION,
  answers: ["token", "token_prefix"],
  builder: (o) => new TokenIndexBuilder(o.blockBytes),
  async probe(section, probe) {
    if (probe.kind === "token_prefix") return prefixPositions(requireIndex(section, TOKEN_INDEX), probe.prefix);
    if (probe.kind !== "token") throw new Error(`token index asked a ${probe.kind} probe`);
    const positions = (await requireIndex(section, TOKEN_INDEX).get(probe.token)) ?? EMPTY;
    return { kind: "positions", positions, detail: `token=${positions.length}` };
  },
  async stats(section, _records, topN) {
    const f = await frequencyStats(requireIndex(section, TOKEN_INDEX), topN);
    return {
      name: "token",
      section: TOKEN_SECTION,
      title: "Token stats",
      summary: `${f.terms} tokens, ${f.positions} positions`,
      fields: [
        { label: "unique tokens", kind: "count", count: f.terms },
        { label: "total positions", kind: "count", count: f.positions },
        { label: "avg frequency", kind: "text", text: f.avg.toFixed(1) },
        { label: "frequency", kind: "text", text: `p50 ${f.p50}, p95 ${f.p95}, max ${f.max}` },
        { label: "top tokens", kind: "terms", terms: f.top },
      ],
      warnings: [],
    };
  },
};
