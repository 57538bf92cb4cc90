/**
 * Query generators for the differential tests: a vocabulary of words and key=value pairs taken
 * from the data (plus words the tokenizer never indexes), and fast-check arbitraries of query
 * ASTs over it (random case, AND/OR/NOT nesting), with the DNF size the engine would build.
 */

import fc from "fast-check";
import type { RecordInput } from "../../src/core/record.ts";
import { extractKv } from "../../src/index/kv-extract.ts";
import { walkFormatFields } from "../../src/index/format-fields.ts";
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
    const json: Array<[string, string]> = [];
    walkFormatFields(r.raw, 0, r.raw.length, (k, v) => void json.push([k, v]));
    for (const [k, v] of json.filter((_, j) => j % 3 === i % 3)) pairs.set(`${k}=${v}`, [k, v]);
    for (const [k, v] of Object.entries(r.attrs)) pairs.set(`${k}=${v}`, [k, v]);
  });
  for (const w of ["cafe", "bad", "dead", "404", "200", "1", "x", "a", "127.0.0.1", "java.lang", "org.apache", "ERROR", "Error", "zzzq", "groß", "é", "connection refused", "failed to", "supercalifragilisticexpialidocious", "blk_", "-"]) words.add(w);
  return { words: [...words], pairs: [...pairs.values()] };
}

function flipCase(s: string, mask: number): string {
  return [...s].map((c, i) => ((mask >> i % 30) & 1 ? c.toUpperCase() : c)).join("");
}

/** Glob patterns made from a word: prefix*, *suffix, a ? in place of a letter, a class. */
function globsOf(word: string, n: number): string {
  const w = word.replace(/[^A-Za-z0-9_.-]/g, "").replace(/^-+/, "");
  if (w.length < 2) return "err*";
  const cut = 1 + (n % (w.length - 1));
  switch (n % 5) {
    case 0:
      return `${w.slice(0, cut)}*`;
    case 1:
      return `*${w.slice(cut)}`;
    case 2:
      return `${w.slice(0, cut - 1)}?${w.slice(cut)}`;
    case 3:
      return `[${w[0]}x]${w.slice(1, cut)}*`;
    default:
      return `${w.slice(0, 1)}*${w.slice(-1)}`;
  }
}

/**
 * Regex patterns made from words: the word, anchored, with optional groups, classes,
 * alternation, and one the engine checks natively (predicates/regex-fast.ts).
 */
function regexOf(a: string, b: string, n: number): string {
  const esc = (w: string) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  switch (n % 7) {
    case 0:
      return esc(a);
    case 1:
      return `^${esc(a)}`;
    case 2:
      return `${esc(a)}(ed|ing)? \\w+`;
    case 3:
      return `(${esc(a)}|${esc(b)})`;
    case 4:
      return `\\b${esc(a)}[a-z]*\\b`;
    case 5:
      return `${esc(a)}[ :=]+\\w`;
    default:
      return `(?-i)${esc(a)}.*\\d`;
  }
}

const OPS = ["!=", ">", ">=", "<", "<="] as const;

/** Query ASTs over `vocab`: words (random case, quoted when needed), k=v, k=*, *=v, globs, comparisons, regexes, nested. */
export function queryArb(vocab: Vocabulary): fc.Arbitrary<Expr> {
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...vocab.words), fc.nat()).map(([w, m]): Expr => ({ kind: "token", word: flipCase(w, m), quoted: /\s|^-/.test(w) || /^(and|or|not)$/i.test(w) })) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...vocab.pairs), fc.nat()).map(([[k, v], m]): Expr => ({ kind: "kv", key: flipCase(k, m), value: flipCase(v, m >> 3) })) },
    { weight: 1, arbitrary: fc.constantFrom(...vocab.pairs).map(([k]): Expr => ({ kind: "key_exists", key: k })) },
    { weight: 1, arbitrary: fc.constantFrom(...vocab.pairs).map(([, v]): Expr => ({ kind: "value_exists", value: v })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...vocab.words), fc.nat()).map(([w, n]): Expr => ({ kind: "glob", pattern: globsOf(w, n) })) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...vocab.pairs), fc.nat()).map(([[k, v], n]): Expr => {
        if (n % 3 === 0) return { kind: "glob_kv", key: k, keyGlob: false, value: globsOf(v, n >> 2), valueGlob: true };
        if (n % 3 === 1) return { kind: "glob_kv", key: globsOf(k, n >> 2), keyGlob: true, value: "*", valueGlob: true };
        return { kind: "glob_kv", key: "*", keyGlob: true, value: globsOf(v, n >> 2), valueGlob: true };
      }),
    },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...vocab.pairs), fc.constantFrom(...OPS), fc.integer({ min: -2, max: 2 })).map(([[k, v], op, d]): Expr => ({ kind: "compare", key: k, op, value: /^\d+$/.test(v) ? String(Number(v) + d) : v })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...vocab.words), fc.constantFrom(...vocab.words), fc.nat()).map(([a, b, n]): Expr => ({ kind: "regex", pattern: regexOf(a, b, n) })) },
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
