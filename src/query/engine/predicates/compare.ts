/**
 * Comparisons `key<op>value` (`status>=500`, `level!=debug`): the record's field (fields.ts:
 * attribute first, then its raw text) is compared numerically when the query value is a
 * number (a record value that is not a number then never matches, `!=` included), else as
 * ASCII-lowercased strings. The indexes narrow to records where some indexed value of the key
 * passes (a range scan of the key's pairs); when no such record also holds a failing value of
 * the key, whatever value resolution picks passes, so the positions are exact and no block is
 * read. Otherwise the compare runs on those records with the resolved value.
 */

import { asciiLower } from "../../../core/ascii.ts";
import type { Attrs } from "../../../core/record.ts";
import type { CompareOp } from "../../lang/ast.ts";
import { describeExpr } from "../../lang/printer.ts";
import { FieldResolver } from "./field-resolver.ts";
import { attrValue, formatNeedles, markByNeedles } from "./fields.ts";
import { compileNeedle, type Needle } from "./needle.ts";
import { probeLookup, type Predicate, type PredicateKind } from "./types.ts";

export interface ComparePredicate extends Predicate {
  /** Lowercased key. */
  readonly key: string;
  readonly op: CompareOp;
  /** The value as a number when it is one, else undefined (string comparison). */
  readonly number: number | undefined;
  /** Lowercased value (string comparison). */
  readonly value: string;
  /** Records that may hold the key in their text (key=value pairs or a format); undefined = all. */
  readonly needles: readonly Needle[] | undefined;
  /** Reads the key's value from a record's text. */
  readonly resolver: FieldResolver;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** `text` as a number when it is a plain decimal number (sign, fraction, exponent), else undefined. */
export function parseNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

function holds(op: CompareOp, order: number): boolean {
  switch (op) {
    case "!=":
      return order !== 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
  }
}

/** True when a record's field value `v` satisfies `p`. */
export function compareValue(p: ComparePredicate, v: string): boolean {
  if (p.number !== undefined) {
    const n = parseNumber(v);
    return n !== undefined && holds(p.op, n < p.number ? -1 : n > p.number ? 1 : 0);
  }
  const s = asciiLower(v);
  return holds(p.op, s < p.value ? -1 : s > p.value ? 1 : 0);
}

export const compareKind: PredicateKind<ComparePredicate> = {
  name: "compare",
  stepIndex: "kv",
  compile(node) {
    if (node.kind !== "compare") return undefined;
    const key = asciiLower(node.key);
    const formats = formatNeedles(key, "");
    const needles = formats === undefined ? undefined : [compileNeedle(`${key}=`), ...formats];
    return { kind: compareKind, text: describeExpr(node), key, op: node.op, number: parseNumber(node.value), value: asciiLower(node.value), needles, resolver: new FieldResolver(key) };
  },
  evaluate(p, m, out) {
    const data = m.batch.data;
    markByNeedles(m, p.needles, out, (rs, re) => {
      const v = p.resolver.value(data, m.base + rs, m.base + re);
      return v !== undefined && compareValue(p, v);
    });
    // An attribute of the key decides, whatever the text says.
    const memo = new Map<Attrs, number>();
    for (let i = 0; i < out.length; i++) {
      const attrs = m.batch.attrs(i);
      let decided = memo.get(attrs);
      if (decided === undefined) {
        const v = attrValue(attrs, p.key);
        decided = v === undefined ? -1 : compareValue(p, v) ? 1 : 0;
        memo.set(attrs, decided);
      }
      if (decided >= 0) out[i] = decided;
    }
  },
  async lookup(p, idx) {
    // Records with an indexed value of the key that passes. The indexes answering (complete, the
    // key not overflowed) hold every value resolution can pick, so a record none of whose values
    // fails matches whichever one it picks; only records with passing and failing values are scanned.
    const found = await probeLookup(p, idx, { kind: "key_values", key: p.key, accept: (v) => compareValue(p, v) });
    if (found.kind !== "positions") return found;
    const what = `values of '${p.key}' ${p.op} ${p.number ?? p.value}`;
    if (found.positions.length === 0) return { ...found, details: `${found.details} (${what}, one value per record: exact)` };
    const failing = await idx.probe({ kind: "key_values", key: p.key, accept: (v) => !compareValue(p, v), within: found.positions });
    if (failing.kind === "positions" && failing.positions.length === 0) {
      return { ...found, details: `${found.details} (${what}, one value per record: exact)` };
    }
    return { ...found, details: `${found.details} (${what}, checked by scan)`, narrowed: true };
  },
};
