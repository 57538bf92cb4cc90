/**
 * What the three key=value predicate kinds share (kv.ts `k=v`, key-exists.ts `k=*`,
 * value-exists.ts `*=v`): a record matches through an attribute, a key=value pair extracted
 * from its raw text (index/kv-extract.ts) or a field of its format (index/format-fields.ts),
 * keys and values compared ASCII-case-insensitively; the index types serving key=value probes
 * (attribute, message key=value, the format indexes) answer them when lossless. `part` says which side the
 * predicate constrains.
 */

import { ASCII_LOWER, asciiLower } from "../../../core/ascii.ts";
import type { Attrs } from "../../../core/record.ts";
import { walkFormatFields } from "../../../index/format-fields.ts";
import { KvScanner } from "../../../index/kv-extract.ts";
import type { IndexProbe } from "../../../index/types.ts";
import type { PredicateNode } from "../../lang/ast.ts";
import { describeExpr } from "../../lang/printer.ts";
import type { BatchMatcher } from "../batch-matcher.ts";
import { FieldResolver } from "./field-resolver.ts";
import { formatNeedles, markByNeedles } from "./fields.ts";
import { compileNeedle, type Needle } from "./needle.ts";
import { probeLookup, type Predicate, type PredicateKind } from "./types.ts";

/** "pair": key and value; "key": the key exists; "value": some key has the value. */
export type PairPart = "pair" | "key" | "value";

export interface PairPredicate extends Predicate {
  /** Lowercased key ("" for part "value"). */
  readonly key: string;
  /** Lowercased value ("" for part "key"). */
  readonly value: string;
  /** `key=value`, `key=` or `=value`: found in the text before the pair is extracted and checked. */
  readonly needle: Needle;
  /** Records that may hold the field in a format (index/format-fields.ts); undefined = all. */
  readonly formatNeedles: readonly Needle[] | undefined;
  /** Reads the key's format fields (parts "pair" and "key"). */
  readonly resolver: FieldResolver | undefined;
}

const kvScanner = new KvScanner();

/** A key=value kind: `leaf` picks the key and value out of the nodes this kind handles. */
export function pairKind(name: string, part: PairPart, leaf: (node: PredicateNode) => { key: string; value: string } | undefined): PredicateKind<PairPredicate> {
  const kind: PredicateKind<PairPredicate> = {
    name,
    stepIndex: "kv",
    compile(node) {
      const kv = leaf(node);
      if (kv === undefined) return undefined;
      const key = asciiLower(kv.key);
      const value = asciiLower(kv.value);
      const needle = part === "pair" ? `${key}=${value}` : part === "key" ? `${key}=` : `=${value}`;
      const resolver = part === "value" ? undefined : new FieldResolver(key);
      return { kind, text: describeExpr(node), key, value, needle: compileNeedle(needle), formatNeedles: formatNeedles(key, value), resolver };
    },
    evaluate(p, m, out) {
      m.markAttrs((attrs) => attrsMatch(part, p, attrs), out);
      m.markNeedle(p.needle, out, (_h, rs, re) => messageMatches(part, p, m, rs, re));
      markByNeedles(m, p.formatNeedles, out, (rs, re) => formatMatches(part, p, m, rs, re));
    },
    lookup: (p, idx) => probeLookup(p, idx, probeOf(part, p)),
  };
  return kind;
}

function attrsMatch(part: PairPart, p: PairPredicate, attrs: Attrs): boolean {
  for (const k in attrs) {
    if (part !== "value" && asciiLower(k) !== p.key) continue;
    if (part === "key" || asciiLower(attrs[k]!) === p.value) return true;
  }
  return false;
}

/** Runs key=value extraction on the record at text offsets [rs, re) and compares. */
function messageMatches(part: PairPart, p: PairPredicate, m: BatchMatcher, rs: number, re: number): boolean {
  const data = m.batch.data;
  kvScanner.reset(data, m.base + rs, m.base + re);
  while (kvScanner.next()) {
    if (part !== "value" && !sameBytes(kvScanner.key, 0, kvScanner.keyLength, p.key, false)) continue;
    if (part === "key" || sameBytes(data, kvScanner.valueStart, kvScanner.valueEnd, p.value, true)) return true;
  }
  return false;
}

/** Walks the format fields of the record at text offsets [rs, re) and compares them. */
function formatMatches(part: PairPart, p: PairPredicate, m: BatchMatcher, rs: number, re: number): boolean {
  const data = m.batch.data;
  if (p.resolver === undefined) return walkFormatFields(data, m.base + rs, m.base + re, (_k, v) => asciiLower(v) === p.value);
  return p.resolver.some(data, m.base + rs, m.base + re, (v) => part === "key" || asciiLower(v) === p.value);
}

/** b[start, end) equals the ASCII string `s` (after ASCII lowering when `fold`). */
function sameBytes(b: Uint8Array, start: number, end: number, s: string, fold: boolean): boolean {
  if (end - start !== s.length) return false;
  for (let i = 0; i < s.length; i++) if ((fold ? ASCII_LOWER[b[start + i]!] : b[start + i]) !== s.charCodeAt(i)) return false;
  return true;
}

/** The index probe of a key=value predicate (key and value already lowercased). */
function probeOf(part: PairPart, p: PairPredicate): IndexProbe {
  if (part === "pair") return { kind: "kv", key: p.key, value: p.value };
  return part === "key" ? { kind: "key_exists", key: p.key } : { kind: "value_exists", value: p.value };
}
