/**
 * `gastrolog query` at work: turns the flags and the query text into one QueryService request,
 * sends it where query-target.ts says (a server, or the stores of --data in this process, with
 * no Connect or protobuf loaded) and
 * prints the hits — text with control characters escaped (to a terminal also bytes that are not
 * UTF-8, which a pipe or file gets as stored), --raw stored bytes, or JSON — a
 * table (pipelines with | stats, | timechart, | fields: Aggregate; aligned text, CSV or JSON
 * lines), or the plan. Output goes out in 64 KiB pieces.
 */

import { isUtf8 } from "node:buffer";
import type { Hit } from "../../api/gen/gastrolog/v1/common_pb.ts";
import { isTablePipeline } from "../../query/lang/pipe-ast.ts";
import { tableCsv, tableJsonLines, tableText } from "../../repl/render/table.ts";
import { displayBytes } from "../../core/display.ts";
import { nowMicros } from "../../core/time.ts";
import { parseQueryArgs } from "../../query/lang/controls.ts";
import { hitHead, hitJson, hitLine } from "../../repl/render/records.ts";
import { PLAIN } from "../../repl/render/style.ts";
import { intFlag, stringFlag } from "../cli/args.ts";
import { UsageError, type Command, type CommandIO } from "../cli/command.ts";
import { LogError } from "../../core/errors.ts";
import { defaultDataDir } from "../paths.ts";
import { planJson } from "../query-convert.ts";
import { clientCredentials } from "../cli/credentials.ts";
import { openQueryLink, type QueryFields, type QueryLink, type SearchPage } from "../query-target.ts";

/** Largest count the Query message carries (uint32 on the wire). */
const MAX_COUNT = 0xffffffff;

/**
 * `n` as a Query count; a larger value is refused the same way locally and against a server
 * (a usage error for a flag, invalid_argument for the query text's limit=).
 */
function count(what: string, n: number): number {
  if (n <= MAX_COUNT) return n;
  const message = `${what}${what.endsWith("=") ? "" : " "}${n} is too large (at most ${MAX_COUNT})`;
  throw what.startsWith("--") ? new UsageError(message) : new LogError("invalid_argument", message);
}

/** Output is handed to stdout in pieces of about this many bytes. */
const PIECE_BYTES = 1 << 16;

const NEWLINE = new Uint8Array([0x0a]);

/** One hit as the line `--raw` prints: the text head, then the stored raw bytes untouched. */
function rawLine(h: Hit): Uint8Array {
  return Buffer.concat([Buffer.from(`${hitHead(h, PLAIN, false)} `), h.record?.raw ?? new Uint8Array(), NEWLINE]);
}

/**
 * One hit as a text line for a pipe or file: like hitLine, but stored bytes that are not UTF-8
 * are written as they are (control characters are still escaped); valid UTF-8 takes hitLine.
 */
function pipedLine(h: Hit): string | Uint8Array {
  const raw = h.record?.raw;
  if (raw === undefined || isUtf8(raw)) return hitLine(h, [], PLAIN) + "\n";
  return Buffer.concat([Buffer.from(`${hitHead(h, PLAIN)} `), displayBytes(raw), NEWLINE]);
}

/** Collects lines into pieces of PIECE_BYTES for `write` (fewer, larger writes). */
class Pieces {
  private parts: (string | Uint8Array)[] = [];
  private size = 0;
  constructor(private readonly write: CommandIO["stdout"]) {}

  add(line: string | Uint8Array): void {
    this.parts.push(line);
    this.size += line.length;
    if (this.size >= PIECE_BYTES) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const parts = this.parts;
    this.parts = [];
    this.size = 0;
    this.write(parts.every((p) => typeof p === "string") ? parts.join("") : Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p))));
  }
}

/** Prints every hit of a search; returns the resume token ("" when the search ended). */
async function printHits(stream: AsyncIterable<SearchPage>, format: (h: Hit) => string | Uint8Array, io: CommandIO): Promise<string> {
  const out = new Pieces(io.stdout);
  let resume = "";
  for await (const m of stream) {
    for (const w of m.warnings) io.stderr(`gastrolog query: warning: ${w}\n`);
    for (const h of m.hits) out.add(format(h));
    if (m.done) resume = m.resumeToken;
    if (m.truncated) io.stderr(`--- result truncated: ${m.truncated}\n`);
  }
  out.flush();
  return resume;
}

/** Prints a table pipeline's table as aligned text, CSV or JSON lines; a cut table is noted on stderr. */
async function printTable(link: QueryLink, query: QueryFields, output: string, io: CommandIO): Promise<number> {
  const { table: t, failure } = await link.table(query);
  for (const w of t.warnings) io.stderr(`gastrolog query: warning: ${w}\n`);
  io.stdout(output === "json" ? tableJsonLines(t) : output === "csv" ? tableCsv(t) : tableText(t));
  if (t.truncated) io.stderr(`--- table truncated: ${t.truncated}\n`);
  // A query stopped by its time limit sent the table counted so far: printed, then it fails.
  if (failure !== undefined) throw failure;
  return 0;
}

export const run: Command["run"] = async (args, io) => {
  const output = stringFlag(args, "output", "text");
  if (output !== "text" && output !== "json" && output !== "csv") throw new UsageError(`flag --output must be text, json or csv (got '${output}')`);
  const raw = args.flags.raw === true;
  if (raw && output === "json") throw new UsageError("flag --raw is for text output (JSON carries the exact bytes in raw_base64)");
  const text = args.positionals.join(" ");
  const now = nowMicros();
  const q = parseQueryArgs(text, now);
  const table = isTablePipeline(q.stages);
  if (output === "csv" && !table) throw new UsageError("flag --output csv is for table results (| stats, | timechart, | fields); records print as text or json");
  if (raw && table) throw new UsageError("flag --raw is for records; a table (| stats, | timechart, | fields) prints as text, --output csv or --output json");
  const context = intFlag(args, "context", 0);
  const store = stringFlag(args, "store", "default")!;
  const query: QueryFields = {
    store,
    text,
    nowUs: BigInt(now),
    limit: q.limit > 0 ? count("limit=", q.limit) : count("--limit", intFlag(args, "limit", 0)),
    reverse: q.reverse || args.flags.reverse === true,
    contextBefore: count("--before/--context", intFlag(args, "before", context)),
    contextAfter: count("--after/--context", intFlag(args, "after", context)),
    resumeToken: stringFlag(args, "resume") ?? "",
  };
  const link = await openQueryLink(stringFlag(args, "data") ?? defaultDataDir(io.env), stringFlag(args, "addr"), store, io.env, clientCredentials(args, io.env));
  for (const n of link.notices ?? []) io.stderr(`gastrolog query: ${n}\n`);
  try {
    if (args.flags.explain || args.flags.analyze) {
      const r = await link.explain(query, args.flags.analyze === true);
      io.stdout(output === "json" ? planJson(r.plan) + "\n" : r.text);
      return 0;
    }
    if (table) return await printTable(link, query, output, io);
    const text = io.isTTY ? (h: Hit) => hitLine(h, [], PLAIN) + "\n" : pipedLine;
    const format = output === "json" ? (h: Hit) => hitJson(h) + "\n" : raw ? rawLine : text;
    const resume = await printHits(link.search(query), format, io);
    if (resume) io.stderr(`--- limit reached; continue with --resume ${resume}\n`);
    return 0;
  } finally {
    await link.close();
  }
};
