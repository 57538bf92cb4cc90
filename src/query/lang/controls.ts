/**
 * Query control arguments (pulled out of the line before the filter is parsed): `start=`, `end=`, `last=`, `limit=`,
 * `reverse=` are pulled out of the query line before the filter is parsed. Unlike upstream,
 * the line is split respecting quotes and the arguments are blanked in place, so quoted
 * phrases keep their spacing and parse errors point at the user's original text. Pure.
 */

import type { Expr } from "./ast.ts";
import { isQuerySpace, parseErrorAt } from "./lexer.ts";
import { parseExpr } from "./parser.ts";
import { DURATION_FORMS, parseDuration } from "../../core/duration.ts";
import { TIME_FORMS, parseTimeArg } from "./time-arg.ts";

/** A parsed query line. Times are epoch µs; bounds are half-open `[start, end)`. */
export interface QueryArgs {
  /** Absent when the line holds no filter (match everything). */
  expr?: Expr;
  /** Inclusive lower bound (always ≤ end when both are set). */
  start?: number;
  /** Exclusive upper bound. */
  end?: number;
  /** 0 = unlimited. */
  limit: number;
  /** Newest first. */
  reverse: boolean;
}

/** A whitespace-separated argument: `text` spans `[start, end)` of the line (UTF-16). */
export interface ArgSpan {
  text: string;
  start: number;
  end: number;
}

/**
 * Splits `line` on query whitespace, keeping quoted sections (with `\` escapes) inside one
 * argument. An unterminated quote runs to the end; the parser reports it later.
 */
export function splitArgs(line: string): ArgSpan[] {
  const out: ArgSpan[] = [];
  let i = 0;
  while (i < line.length) {
    if (isQuerySpace(line[i]!)) {
      i++;
      continue;
    }
    const start = i;
    let quote = "";
    for (; i < line.length; i++) {
      const ch = line[i]!;
      if (quote !== "") {
        if (ch === "\\") i++;
        else if (ch === quote) quote = "";
      } else if (ch === '"' || ch === "'") {
        quote = ch;
      } else if (isQuerySpace(ch)) {
        break;
      }
    }
    i = Math.min(i, line.length);
    out.push({ text: line.slice(start, i), start, end: i });
  }
  return out;
}

const CONTROL = /^(start|end|last|limit|reverse)=(.*)$/s;

interface Pending {
  start?: number;
  end?: number;
  last?: number;
  limit?: number;
  reverse?: boolean;
}

/**
 * Parses a query line: control arguments anywhere (exact lowercase key before the first `=`),
 * the rest as a filter expression. `now` (epoch µs) resolves `now`, `-15m` and `last=15m`.
 * Direction: `reverse=true|false` if given; otherwise reverse iff both bounds are given with
 * end < start (as the original REPL did). Bounds given backwards are swapped in either case. Throws
 * ParseError for bad control values, duplicates, `last=` with `start=`, or a bad filter.
 */
export function parseQueryArgs(line: string, now: number): QueryArgs {
  const got: Pending = {};
  let rest = line;
  for (const arg of splitArgs(line)) {
    const m = CONTROL.exec(arg.text);
    if (!m) continue;
    const key = m[1] as keyof Pending;
    const valuePos = arg.start + key.length + 1;
    if (got[key] !== undefined) throw parseErrorAt(line, arg.start, `duplicate ${key}= argument`);
    const value = m[2]!;
    if (key === "start" || key === "end") got[key] = timeValue(line, key, value, valuePos, now);
    else if (key === "last") got.last = lastValue(line, value, valuePos);
    else if (key === "limit") got.limit = limitValue(line, value, valuePos);
    else got.reverse = reverseValue(line, value, valuePos);
    rest = rest.slice(0, arg.start) + " ".repeat(arg.end - arg.start) + rest.slice(arg.end);
  }
  if (got.last !== undefined && got.start !== undefined) {
    throw parseErrorAt(line, 0, "last= and start= cannot be combined: give one lower bound");
  }
  let start = got.last !== undefined ? (got.last < 0 ? undefined : now - got.last) : got.start;
  let end = got.end;
  let reverse = got.reverse ?? false;
  if (start !== undefined && end !== undefined && end < start) {
    [start, end] = [end, start];
    if (got.reverse === undefined) reverse = true;
  }
  const out: QueryArgs = { limit: got.limit ?? 0, reverse };
  if (rest.trim() !== "") out.expr = parseExpr(rest);
  if (start !== undefined) out.start = start;
  if (end !== undefined) out.end = end;
  return out;
}

function timeValue(line: string, key: string, value: string, pos: number, now: number): number {
  const t = parseTimeArg(value, now);
  if (t === undefined) {
    throw parseErrorAt(line, pos, `Invalid ${key} time: ${JSON.stringify(value)} (expected ${TIME_FORMS})`);
  }
  return t;
}

/** `last=<duration>` in µs; `last=all` is recorded as -1 (no lower bound). */
function lastValue(line: string, value: string, pos: number): number {
  const d = value === "all" ? -1 : parseDuration(value);
  if (d === undefined) {
    throw parseErrorAt(line, pos, `Invalid last duration: ${JSON.stringify(value)} (expected ${DURATION_FORMS}, or all)`);
  }
  return d;
}

/** `limit=N`: an integer; 0 or negative means unlimited (returned as 0). */
function limitValue(line: string, value: string, pos: number): number {
  if (!/^-?\d{1,15}$/.test(value)) {
    throw parseErrorAt(line, pos, `Invalid limit: ${JSON.stringify(value)} (expected an integer; 0 = unlimited)`);
  }
  return Math.max(0, Number(value));
}

function reverseValue(line: string, value: string, pos: number): boolean {
  if (value !== "true" && value !== "false") {
    throw parseErrorAt(line, pos, `Invalid reverse: ${JSON.stringify(value)} (expected true or false)`);
  }
  return value === "true";
}
