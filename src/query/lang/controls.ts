/**
 * Query control arguments (pulled out of the line before the filter is parsed): `start=`, `end=`, `last=`, `limit=`,
 * `reverse=`, `timeout=`, `force=` are pulled out of the query line before the filter is parsed. Unlike upstream,
 * the line is split respecting quotes and the arguments are blanked in place, so quoted
 * phrases keep their spacing and parse errors point at the user's original text. Pure.
 */

import { formatRfc3339Micros } from "../../core/time.ts";
import type { Expr } from "./ast.ts";
import { isQuerySpace, parseErrorAt } from "./lexer.ts";
import { parseExpr } from "./parser.ts";
import { DURATION_FORMS, parseDuration } from "../../core/duration.ts";
import { TIME_FORMS, parseTimeArg } from "./time-arg.ts";
import type { PipeStage } from "./pipe-ast.ts";
import { parseStages } from "./pipe-parser.ts";
import { splitPipes } from "./pipe-split.ts";

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
  /** Reverse storage order (the last stored record first; not a sort by event time). */
  reverse: boolean;
  /** The stages after `|`, in order (empty when the line has no pipe). */
  stages: PipeStage[];
  /** `timeout=`: how long the query may run (µs); absent = the server's default. */
  timeout?: number;
  /** `force=true`: run even when the cost estimate is above the server's limit. */
  force?: boolean;
}

/** A whitespace-separated argument: `text` spans `[start, end)` of the line (UTF-16). */
export interface ArgSpan {
  text: string;
  start: number;
  end: number;
}

/**
 * Splits `line` on query whitespace, keeping quoted sections and a regex `/.../` opening an
 * argument (with `\` escapes) inside one argument. An unterminated quote runs to the end; the parser reports it later.
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
      } else if (ch === '"' || ch === "'" || (ch === "/" && i === start)) {
        quote = ch; // a regex /.../ is one argument, like a quoted word
      } else if (isQuerySpace(ch)) {
        break;
      }
    }
    i = Math.min(i, line.length);
    out.push({ text: line.slice(start, i), start, end: i });
  }
  return out;
}

const CONTROL = /^(start|end|last|limit|reverse|timeout|force)=(.*)$/s;

interface Pending {
  timeout?: number;
  force?: boolean;
  start?: number;
  end?: number;
  last?: number;
  limit?: number;
  reverse?: boolean;
}

/**
 * Parses a query line: the filter part (before the first pipe, pipe-split.ts) holds control
 * arguments anywhere (exact lowercase key before the first `=`) and the filter expression (`*`
 * alone: every record); the stages after it go to pipe-parser.ts. `now` (epoch µs) resolves `now`, `-15m` and `last=15m`.
 * Direction: `reverse=true` (reverse storage order). Throws ParseError for bad control values,
 * duplicates, `last=` with `start=`, a lower bound not before the upper one (bounds given
 * backwards are a mistake, not a request for reverse order), or a bad filter.
 */
export function parseQueryArgs(line: string, now: number): QueryArgs {
  const got: Pending = {};
  let endPos = 0;
  const parts = splitPipes(line);
  let rest = parts.filter.text;
  for (const arg of splitArgs(rest)) {
    const m = CONTROL.exec(arg.text);
    if (!m) continue;
    const key = m[1] as keyof Pending;
    const valuePos = arg.start + key.length + 1;
    if (got[key] !== undefined) throw parseErrorAt(line, arg.start, `duplicate ${key}= argument`);
    const value = m[2]!;
    if (key === "end") endPos = valuePos;
    if (key === "start" || key === "end") got[key] = timeValue(line, key, value, valuePos, now);
    else if (key === "last") got.last = lastValue(line, value, valuePos);
    else if (key === "limit") got.limit = limitValue(line, value, valuePos);
    else if (key === "timeout") got.timeout = timeoutValue(line, value, valuePos);
    else got[key] = booleanValue(line, key, value, valuePos);
    rest = rest.slice(0, arg.start) + " ".repeat(arg.end - arg.start) + rest.slice(arg.end);
  }
  if (got.last !== undefined && got.start !== undefined) {
    throw parseErrorAt(line, 0, "last= and start= cannot be combined: give one lower bound");
  }
  const start = got.last !== undefined ? (got.last < 0 ? undefined : now - got.last) : got.start;
  const end = got.end;
  if (start !== undefined && end !== undefined && end <= start) {
    const lower = got.last !== undefined ? "last=" : "start=";
    throw parseErrorAt(line, endPos, `end= ${formatRfc3339Micros(end)} is not after ${lower} ${formatRfc3339Micros(start)}: the range [start, end) is empty (reverse=true reverses the order)`);
  }
  const out: QueryArgs = { limit: got.limit ?? 0, reverse: got.reverse ?? false, stages: parseStages(line, parts.stages) };
  if (rest.trim() !== "" && rest.trim() !== "*") out.expr = parseExpr(rest);
  if (start !== undefined) out.start = start;
  if (end !== undefined) out.end = end;
  if (got.timeout !== undefined) out.timeout = got.timeout;
  if (got.force) out.force = true;
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

/** `limit=N`: a whole number, 0 = unlimited (the same rule as `--limit` and the API field). */
function limitValue(line: string, value: string, pos: number): number {
  const n = parseCount(value);
  if (n === undefined) throw parseErrorAt(line, pos, `Invalid limit: ${JSON.stringify(value)} (${COUNT_RULE}; 0 = unlimited)`);
  return n;
}

/** What parseCount accepts, for error messages. */
export const COUNT_RULE = "expected a whole number ≥ 0";

/**
 * A count (limit, context size) written as decimal digits only: no sign, fraction, exponent,
 * hex or blanks; undefined otherwise. Shared by query text and command-line flags so one
 * rule holds everywhere.
 */
export function parseCount(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function booleanValue(line: string, key: string, value: string, pos: number): boolean {
  if (value !== "true" && value !== "false") {
    throw parseErrorAt(line, pos, `Invalid ${key}: ${JSON.stringify(value)} (expected true or false)`);
  }
  return value === "true";
}

/** `timeout=<duration>` in µs, more than 0. */
function timeoutValue(line: string, value: string, pos: number): number {
  const d = parseDuration(value);
  if (d === undefined || d <= 0) throw parseErrorAt(line, pos, `Invalid timeout: ${JSON.stringify(value)} (expected ${DURATION_FORMS}, more than 0)`);
  return d;
}
