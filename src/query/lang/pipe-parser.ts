/**
 * Parser for the pipe stages after the filter (README "Pipelines"). Pure: stage text in,
 * PipeStage or ParseError (byte position in the whole line) out. `where` hands its text to
 * the filter parser unchanged.
 *
 *   stage     = stats | timechart | where | sort | head | fields | rename ;
 *   stats     = "stats" agg { "," agg } [ "by" group { "," group } ] ;
 *   agg       = func "(" [ args ] ")" [ "as" NAME ] ;
 *   func      = count | count_distinct | dcount | min | max | sum | avg | quantile | median ;
 *   group     = "bin" "(" DURATION [ "," time_field ] ")" | NAME ;
 *   timechart = "timechart" COUNT [ "by" NAME ] ;
 *   where     = "where" filter ;
 *   sort      = "sort" [ "-" ] NAME { "," [ "-" ] NAME } ;
 *   head      = "head" [ COUNT ] ;                     (* default 10 *)
 *   fields    = "fields" NAME { "," NAME } ;
 *   rename    = "rename" NAME "as" NAME { "," NAME "as" NAME } ;
 *
 * Stage names and `by`/`as`/`bin` are case-insensitive; NAME is a bare or quoted word.
 */

import { ParseError } from "../../core/errors.ts";
import { DURATION_FORMS, parseDuration } from "../../core/duration.ts";
import type { AggName, AggSpec, GroupSpec, PipeStage, TimeField } from "./pipe-ast.ts";
import { byteOffset, isQuerySpace, parseErrorAt } from "./lexer.ts";
import { parseExpr } from "./parser.ts";
import type { LineSegment } from "./pipe-split.ts";

/** Most buckets a timechart may ask for. */
export const MAX_TIMECHART_BUCKETS = 10_000;
/** Rows `head` keeps without a count. */
export const DEFAULT_HEAD = 10;

const FUNCS: Readonly<Record<string, AggName>> = {
  count: "count",
  count_distinct: "count_distinct",
  dcount: "count_distinct",
  min: "min",
  max: "max",
  sum: "sum",
  avg: "avg",
  mean: "avg",
  quantile: "quantile",
  median: "quantile",
};
const TIME_FIELDS: readonly TimeField[] = ["_time", "write_ts", "ingest_ts", "source_ts"];
const STAGES = "stats, timechart, where, sort, head, fields or rename";

interface Tok {
  kind: "word" | "(" | ")" | "," | "eof";
  text: string;
  quoted: boolean;
  /** UTF-16 index in the line. */
  pos: number;
}

/** Parses the stages of a line split by splitPipes; `line` is the whole line (for positions). */
export function parseStages(line: string, stages: readonly LineSegment[]): PipeStage[] {
  return stages.map((s) => new StageParser(line, s).parse());
}

class StageParser {
  private readonly toks: Tok[];
  private i = 0;

  constructor(
    private readonly line: string,
    private readonly seg: LineSegment,
  ) {
    this.toks = tokens(line, seg);
  }

  parse(): PipeStage {
    const name = this.next();
    if (name.kind !== "word" || name.quoted) this.fail(name, `expected a pipe stage (${STAGES}) after '|'`);
    const stage = this.stage(name);
    this.expect("eof", "end of stage");
    return stage;
  }

  private stage(name: Tok): PipeStage {
    switch (name.text.toLowerCase()) {
      case "stats":
        return this.stats();
      case "timechart":
        return this.timechart();
      case "where":
        return this.where(name);
      case "sort":
        return { kind: "sort", keys: this.list(() => this.sortKey()) };
      case "head":
        return { kind: "head", n: this.peek().kind === "eof" ? DEFAULT_HEAD : this.count("head") };
      case "fields":
        return { kind: "fields", names: this.list(() => this.name("a field name")) };
      case "rename":
        return { kind: "rename", pairs: this.list(() => this.renamePair()) };
      default:
        return this.fail(name, `unknown pipe stage '${name.text}': expected ${STAGES}`);
    }
  }

  private stats(): PipeStage {
    const aggs = this.list(() => this.agg());
    const by = this.keyword("by") ? this.list(() => this.group()) : [];
    return { kind: "stats", aggs, by };
  }

  private agg(): AggSpec {
    const f = this.next();
    const fn = f.kind === "word" && !f.quoted ? FUNCS[f.text.toLowerCase()] : undefined;
    if (fn === undefined) this.fail(f, `expected an aggregation (count(), count_distinct(f), min(f), max(f), sum(f), avg(f), quantile(q, f)), got ${show(f)}`);
    this.expect("(", `'(' after ${f.text}`);
    const spec: AggSpec = { fn };
    if (f.text.toLowerCase() === "median") spec.q = 0.5;
    else if (fn === "quantile") spec.q = this.quantile();
    if (fn === "count" ? this.peek().kind === "word" : true) spec.field = this.name(`a field name for ${f.text}()`);
    this.expect(")", `')' to close ${f.text}(`);
    if (this.keyword("as")) spec.alias = this.name("a column name after 'as'");
    return spec;
  }

  private quantile(): number {
    const t = this.next();
    const q = t.kind === "word" && /^(0|1|0?\.\d+|1\.0*)$/.test(t.text) ? Number(t.text) : NaN;
    if (!(q >= 0 && q <= 1)) this.fail(t, `quantile needs a fraction from 0 to 1 first, as in quantile(0.99, duration); got ${show(t)}`);
    this.expect(",", "',' after the quantile fraction");
    return q;
  }

  private group(): GroupSpec {
    const t = this.peek();
    if (t.kind !== "word" || t.quoted || t.text.toLowerCase() !== "bin" || this.toks[this.i + 1]?.kind !== "(") return { kind: "field", name: this.name("a field name or bin(DURATION) after 'by'") };
    this.i += 2;
    const d = this.next();
    const width = d.kind === "word" ? parseDuration(d.text) : undefined;
    if (width === undefined || width <= 0) this.fail(d, `bin() needs a bucket width: ${DURATION_FORMS}; got ${show(d)}`);
    let time: TimeField = "_time";
    if (this.peek().kind === ",") {
      this.i++;
      const f = this.next();
      const named = TIME_FIELDS.find((x) => x === f.text.toLowerCase());
      if (named === undefined) this.fail(f, `bin() buckets one of ${TIME_FIELDS.join(", ")}; got ${show(f)}`);
      time = named;
    }
    this.expect(")", "')' to close bin(");
    return { kind: "bin", width, time };
  }

  private timechart(): PipeStage {
    const at = this.peek();
    const buckets = this.count("timechart");
    if (buckets < 1 || buckets > MAX_TIMECHART_BUCKETS) this.fail(at, `timechart needs 1 to ${MAX_TIMECHART_BUCKETS} buckets; got ${buckets}`);
    return this.keyword("by") ? { kind: "timechart", buckets, by: this.name("a field name after 'by'") } : { kind: "timechart", buckets };
  }

  /** The rest of the stage is a filter, parsed by the filter parser as it is. */
  private where(name: Tok): PipeStage {
    const from = name.pos + name.text.length;
    const text = this.line.slice(from, this.seg.start + this.seg.text.length);
    if (text.trim() === "") this.fail(this.peek(), "where needs a filter, as in | where level=error");
    try {
      this.i = this.toks.length - 1;
      return { kind: "where", expr: parseExpr(text) };
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      throw new ParseError(err.position + byteOffset(this.line, from), err.detail);
    }
  }

  private sortKey(): { field: string; desc: boolean } {
    const t = this.peek();
    if (t.kind === "word" && !t.quoted && t.text.startsWith("-") && t.text.length > 1) {
      this.i++;
      return { field: t.text.slice(1), desc: true };
    }
    if (t.kind === "word" && !t.quoted && t.text.startsWith("+") && t.text.length > 1) {
      this.i++;
      return { field: t.text.slice(1), desc: false };
    }
    return { field: this.name("a field name to sort by"), desc: false };
  }

  private renamePair(): { from: string; to: string } {
    const from = this.name("a field name to rename");
    if (!this.keyword("as")) this.fail(this.peek(), `expected 'as' after ${from}, as in rename a as b`);
    return { from, to: this.name("the new name after 'as'") };
  }

  private list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.peek().kind === ",") {
      this.i++;
      out.push(item());
    }
    return out;
  }

  private count(stage: string): number {
    const t = this.next();
    if (t.kind !== "word" || !/^\d{1,9}$/.test(t.text)) this.fail(t, `${stage} needs a whole number, got ${show(t)}`);
    return Number(t.text);
  }

  private name(what: string): string {
    const t = this.next();
    if (t.kind !== "word") this.fail(t, `expected ${what}, got ${show(t)}`);
    return t.text;
  }

  /** Takes the bare keyword `word` when it comes next. */
  private keyword(word: string): boolean {
    const t = this.peek();
    if (t.kind !== "word" || t.quoted || t.text.toLowerCase() !== word) return false;
    this.i++;
    return true;
  }

  private expect(kind: Tok["kind"], what: string): void {
    const t = this.next();
    if (t.kind !== kind) this.fail(t, `expected ${what}, got ${show(t)}`);
  }

  private peek(): Tok {
    return this.toks[this.i]!;
  }

  private next(): Tok {
    const t = this.toks[this.i]!;
    if (t.kind !== "eof") this.i++;
    return t;
  }

  private fail(t: Tok, message: string): never {
    throw parseErrorAt(this.line, t.pos, message);
  }
}

function show(t: Tok): string {
  if (t.kind === "eof") return "end of stage";
  return t.kind === "word" ? (t.quoted ? JSON.stringify(t.text) : `'${t.text}'`) : `'${t.kind}'`;
}

/** The stage's tokens: words (bare or quoted), ( ) and commas, then eof. */
function tokens(line: string, seg: LineSegment): Tok[] {
  const out: Tok[] = [];
  const end = seg.start + seg.text.length;
  let i = seg.start;
  while (i < end) {
    const ch = line[i]!;
    if (isQuerySpace(ch)) {
      i++;
    } else if (ch === "(" || ch === ")" || ch === ",") {
      out.push({ kind: ch, text: ch, quoted: false, pos: i++ });
    } else if (ch === '"' || ch === "'") {
      const start = i;
      let text = "";
      for (i++; i < end && line[i] !== ch; i++) text += line[i] === "\\" && i + 1 < end ? line[++i] : line[i];
      if (i >= end) throw parseErrorAt(line, start, `unterminated string: expected a closing ${ch}`);
      i++;
      out.push({ kind: "word", text, quoted: true, pos: start });
    } else {
      const start = i;
      while (i < end && !isQuerySpace(line[i]!) && !"(),\"'".includes(line[i]!)) i++;
      out.push({ kind: "word", text: line.slice(start, i), quoted: false, pos: start });
    }
  }
  out.push({ kind: "eof", text: "", quoted: false, pos: end });
  return out;
}
