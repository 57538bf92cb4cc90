/**
 * Query generators for the differential tests: a vocabulary of words and key=value pairs taken
 * from the data (plus words the tokenizer never indexes), and fast-check arbitraries of query
 * ASTs over it (random case, AND/OR/NOT nesting), with the DNF size the engine would build.
 */

import fc from "fast-check";
import type { RecordInput } from "../../src/core/record.ts";
import { extractKv } from "../../src/index/kv-extract.ts";
import { tokenize } from "../../src/index/tokenizer.ts";
import type { Expr } from "../../src/query/lang/ast.ts";

export interface Vocabulary {
  words: string[];
  pairs: Array<[string, string]>;
}

/** Branch count of the DNF of `e`, computed without building it. */
export function dnfBranches(e: Expr, negated = false): number {
  switch (e.kind) {
    case "not":
      return dnfBranches(e.child, !negated);
    case "and":
    case "or": {
      const counts = e.children.map((c) => dnfBranches(c, negated));
      const sum = (e.kind === "or") !== negated;
      return sum ? counts.reduce((a, b) => a + b, 0) : counts.reduce((a, b) => a * b, 1);
    }
    default:
      return 1;
  }
}

/** Words users type: indexed tokens of the data, plus words the tokenizer never indexes. */
export function vocabulary(records: readonly Pick<RecordInput, "raw" | "attrs">[]): Vocabulary {
  const words = new Set<string>();
  const pairs = new Map<string, [string, string]>();
  records.forEach((r, i) => {
    if (i % 7 !== 0) return;
    const toks = tokenize(r.raw);
    for (const t of toks.slice(0, 3)) words.add(t);
    for (const [k, v] of extractKv(r.raw).slice(0, 2)) pairs.set(`${k}=${v}`, [k, v]);
    for (const [k, v] of Object.entries(r.attrs)) pairs.set(`${k}=${v}`, [k, v]);
  });
  for (const w of ["cafe", "bad", "dead", "404", "200", "1", "x", "a", "127.0.0.1", "java.lang", "org.apache", "ERROR", "Error", "zzzq", "groß", "é", "connection refused", "failed to", "supercalifragilisticexpialidocious", "blk_", "-"]) words.add(w);
  return { words: [...words], pairs: [...pairs.values()] };
}

function flipCase(s: string, mask: number): string {
  return [...s].map((c, i) => ((mask >> i % 30) & 1 ? c.toUpperCase() : c)).join("");
}

/** Query ASTs over `vocab`: words (random case, quoted when needed), k=v, k=*, *=v, nested. */
export function queryArb(vocab: Vocabulary): fc.Arbitrary<Expr> {
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...vocab.words), fc.nat()).map(([w, m]): Expr => ({ kind: "token", word: flipCase(w, m), quoted: /\s|^-/.test(w) || /^(and|or|not)$/i.test(w) })) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...vocab.pairs), fc.nat()).map(([[k, v], m]): Expr => ({ kind: "kv", key: flipCase(k, m), value: flipCase(v, m >> 3) })) },
    { weight: 1, arbitrary: fc.constantFrom(...vocab.pairs).map(([k]): Expr => ({ kind: "key_exists", key: k })) },
    { weight: 1, arbitrary: fc.constantFrom(...vocab.pairs).map(([, v]): Expr => ({ kind: "value_exists", value: v })) },
  );
  return fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.array(tie("e"), { minLength: 2, maxLength: 3 }).map((children): Expr => ({ kind: "and", children })),
      fc.array(tie("e"), { minLength: 2, maxLength: 3 }).map((children): Expr => ({ kind: "or", children })),
      tie("e").map((child): Expr => ({ kind: "not", child })),
    ),
  })).e;
}
