/**
 * The naive oracle the differential tests compare the engine against: evaluates the query AST
 * on every record directly from the predicate definitions — tokenize the raw
 * text, extract key=value pairs, compare attributes, globs as JS RegExps over the words, regexes
 * with re2js over the decoded text — with no indexes, batches or needles.
 * Slow by design; shared by the engine tests and the differential tests.
 */

import type { Expr } from "../../src/query/lang/ast.ts";
import { asciiLower } from "../../src/core/ascii.ts";
import { isIndexableWord, tokenize } from "../../src/index/tokenizer.ts";
import { extractKv } from "../../src/index/kv-extract.ts";
import type { LogRecord } from "../../src/core/record.ts";
import { RE2JS } from "re2js";
import { walkClfFields } from "../../src/index/clf-fields.ts";
import { walkLogfmtFields } from "../../src/index/logfmt-fields.ts";
import { walkSyslogFields } from "../../src/index/syslog-fields.ts";

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
  /** The text decoded as UTF-8. */
  decoded: string;
  /** Format fields, then key=value pairs of the text, values as written (resolution order). */
  textFields: Array<[string, string]>;
}

/** Per-record derived facts, computed once per record object (the oracle is re-run often). */
const derivedCache = new WeakMap<LogRecord, Derived>();

function derived(r: LogRecord): Derived {
  let d = derivedCache.get(r);
  if (!d) {
    const attrs = Object.entries(r.attrs).map(([k, v]) => [asciiLower(k), asciiLower(v)] as const);
    const pairs = [...formatPairs(r), ...extractKv(r.raw)].map(([k, v]) => [k, asciiLower(v)] as const);
    const textFields = [...formatPairs(r), ...extractKv(r.raw)];
    d = { tokens: new Set(tokenize(r.raw)), text: latin1Lower(r.raw), pairs: [...attrs, ...pairs], decoded: new TextDecoder().decode(r.raw), textFields };
    derivedCache.set(r, d);
  }
  return d;
}

/**
 * The record's format fields in resolution order: JSON flattened here apart from the engine,
 * the access log, syslog and logfmt walkers as they are (their own tests check them).
 */
function formatPairs(r: LogRecord): Array<[string, string]> {
  const known = formatCache.get(r);
  if (known !== undefined) return known;
  const out = jsonPairs(r);
  for (const walk of [walkClfFields, walkSyslogFields, walkLogfmtFields]) walk(r.raw, 0, r.raw.length, (k, v) => void out.push([k, v]));
  formatCache.set(r, out);
  return out;
}

const formatCache = new WeakMap<LogRecord, Array<[string, string]>>();

/** The JSON body's fields: `a.b`, `tags[]`, `items[].sku`. */
function jsonPairs(r: LogRecord): Array<[string, string]> {
  const text = new TextDecoder().decode(r.raw);
  const open = text.indexOf("{");
  const close = text.lastIndexOf("}");
  if (open < 0 || close < open) return [];
  let body: unknown;
  try {
    body = JSON.parse(text.slice(open, close + 1));
  } catch {
    return [];
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return [];
  const out: Array<[string, string]> = [];
  const flat = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x) => flat(x, path.endsWith("[]") ? path : `${path}[]`));
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) flat(x, path === "" ? asciiLower(k) : `${path}.${asciiLower(k)}`);
    else out.push([path, v === null ? "null" : String(v)]);
  };
  flat(body, "");
  return out;
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

/** A glob as an anchored, case-insensitive JS RegExp (an implementation apart from the engine's). */
function globRegExp(glob: string): RegExp {
  let src = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    const close = c === "[" ? glob.indexOf("]", i + 2) : -1;
    if (c === "*") src += "[^]*";
    else if (c === "?") src += "[^]";
    else if (close > 0) {
      let body = glob.slice(i + 1, close);
      const neg = body.length > 1 && (body[0] === "!" || body[0] === "^");
      if (neg) body = body.slice(1);
      src += `[${neg ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = close;
    } else src += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^(?:${src})$`);
}

/** Compiled per AST node: the oracle is re-run on every record. */
const compiled = new WeakMap<Expr, (text: string) => boolean>();

function cachedTest(e: Expr, make: () => (text: string) => boolean): (text: string) => boolean {
  let t = compiled.get(e);
  if (t === undefined) compiled.set(e, (t = make()));
  return t;
}

const wordsCache = new WeakMap<LogRecord, string[]>();

/** Whitespace words of the text and the maximal token-character runs inside them. */
function words(r: LogRecord): string[] {
  const known = wordsCache.get(r);
  if (known !== undefined) return known;
  const text = derived(r).decoded;
  const out: string[] = [];
  wordsCache.set(r, out);
  for (const w of text.split(/[ \t\r\n]+/)) {
    if (w === "") continue;
    out.push(w, ...(w.match(/[A-Za-z0-9_-]+/g) ?? []));
  }
  return out;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** `key<op>value` on the resolved field: attribute first, then the first text pair of the key. */
/** The value of field `name` of `r` as comparisons (and stats groups) resolve it: attribute, format field, key=value pair. */
export function oracleField(r: LogRecord, name: string): string | undefined {
  const key = asciiLower(name);
  const attr = Object.entries(r.attrs).find(([k]) => asciiLower(k) === key);
  return attr !== undefined ? attr[1] : derived(r).textFields.find(([k]) => k === key)?.[1];
}

function compares(e: Extract<Expr, { kind: "compare" }>, r: LogRecord): boolean {
  const v = oracleField(r, e.key);
  if (v === undefined) return false;
  const sign = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  let order: number;
  if (NUMBER.test(e.value)) {
    if (!NUMBER.test(v)) return false;
    order = sign(Number(v), Number(e.value));
  } else order = sign(asciiLower(v), asciiLower(e.value));
  return { "!=": order !== 0, ">": order > 0, ">=": order >= 0, "<": order < 0, "<=": order <= 0 }[e.op];
}

/** True when `r` satisfies `e` by the predicate definitions (evaluated naively). */
export function oracleMatches(e: Expr, r: LogRecord): boolean {
  switch (e.kind) {
    case "glob": {
      const test = cachedTest(e, () => {
        const re = globRegExp(asciiLower(e.pattern));
        return (w) => re.test(asciiLower(w));
      });
      return words(r).some(test);
    }
    case "glob_kv": {
      const test = cachedTest(e, () => {
        const side = (glob: boolean, pattern: string) => {
          const re = globRegExp(asciiLower(pattern));
          return glob ? (t: string) => re.test(asciiLower(t)) : (t: string) => asciiLower(t) === asciiLower(pattern);
        };
        const keyTest = side(e.keyGlob, e.key);
        const valueTest = side(e.valueGlob, e.value);
        return (pair) => keyTest(pair.slice(0, pair.indexOf("\u0000"))) && valueTest(pair.slice(pair.indexOf("\u0000") + 1));
      });
      return Object.entries(r.attrs).some(([k, v]) => test(`${k}\u0000${v}`)) || derived(r).textFields.some(([k, v]) => test(`${k}\u0000${v}`));
    }
    case "compare":
      return compares(e, r);
    case "regex":
      return cachedTest(e, () => {
        const re = RE2JS.compile(e.pattern, RE2JS.CASE_INSENSITIVE);
        return (text) => re.matcher(text).find();
      })(derived(r).decoded);
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
