/**
 * The naive oracle the differential tests compare the engine against: evaluates the query AST
 * on every record directly from the predicate definitions — tokenize the raw
 * text, extract key=value pairs, compare attributes — with no indexes, batches or needles.
 * Slow by design; shared by the engine tests and the differential tests.
 */

import type { Expr } from "../../src/query/lang/ast.ts";
import { asciiLower } from "../../src/core/ascii.ts";
import { isIndexableWord, tokenize } from "../../src/index/tokenizer.ts";
import { extractKv } from "../../src/index/kv-extract.ts";
import type { LogRecord } from "../../src/core/record.ts";

function latin1Lower(raw: Uint8Array): string {
  let s = "";
  for (const b of raw) s += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
  return s;
}

function utf8Latin1Lower(word: string): string {
  return latin1Lower(new TextEncoder().encode(word));
}

interface Derived {
  tokens: Set<string>;
  text: string;
  pairs: Array<readonly [string, string]>;
}

/** Per-record derived facts, computed once per record object (the oracle is re-run often). */
const derivedCache = new WeakMap<LogRecord, Derived>();

function derived(r: LogRecord): Derived {
  let d = derivedCache.get(r);
  if (!d) {
    const attrs = Object.entries(r.attrs).map(([k, v]) => [asciiLower(k), asciiLower(v)] as const);
    const pairs = extractKv(r.raw).map(([k, v]) => [k, asciiLower(v)] as const);
    d = { tokens: new Set(tokenize(r.raw)), text: latin1Lower(r.raw), pairs: [...attrs, ...pairs] };
    derivedCache.set(r, d);
  }
  return d;
}

/** Lowered forms of a leaf's word/key/value, computed once per AST node. */
const needles = new WeakMap<Expr, { word: string; text: string; key: string; value: string; indexable: boolean }>();

function needle(e: Expr): { word: string; text: string; key: string; value: string; indexable: boolean } {
  let n = needles.get(e);
  if (!n) {
    const word = e.kind === "token" ? e.word : "";
    n = {
      word: asciiLower(word),
      text: utf8Latin1Lower(word),
      key: e.kind === "kv" || e.kind === "key_exists" ? asciiLower(e.key) : "",
      value: e.kind === "kv" || e.kind === "value_exists" ? asciiLower(e.value) : "",
      indexable: isIndexableWord(word),
    };
    needles.set(e, n);
  }
  return n;
}

/** True when `r` satisfies `e` by the predicate definitions (evaluated naively). */
export function oracleMatches(e: Expr, r: LogRecord): boolean {
  switch (e.kind) {
    case "and":
      return e.children.every((c) => oracleMatches(c, r));
    case "or":
      return e.children.some((c) => oracleMatches(c, r));
    case "not":
      return !oracleMatches(e.child, r);
    case "token": {
      const n = needle(e);
      return n.indexable ? derived(r).tokens.has(n.word) : derived(r).text.includes(n.text);
    }
    default: {
      const all = derived(r).pairs;
      const n = needle(e);
      if (e.kind === "kv") return all.some(([k, v]) => k === n.key && v === n.value);
      if (e.kind === "key_exists") return all.some(([k]) => k === n.key);
      return all.some(([, v]) => v === n.value);
    }
  }
}

/** Event time bounds [start, end) on sourceTs (else ingestTs). */
export function oracleInTime(r: LogRecord, start: number | undefined, end: number | undefined): boolean {
  const t = r.sourceTs !== 0 ? r.sourceTs : r.ingestTs;
  return (start === undefined || t >= start) && (end === undefined || t < end);
}
