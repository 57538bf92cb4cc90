/**
 * The query bench's cases: concrete query words chosen by looking at the generated corpus, each
 * with the `rg` pipeline that finds the same lines in the raw file, and the 1% time window of
 * the corpus for the time-bounded case (found by parsing its first and last timestamps).
 */

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { parseLeadingTimestamp } from "../src/ingest/parse/timestamp.ts";
import { CORPUS_YEAR } from "./store-cache.ts";

/** One rg stage: flags and a pattern (no single quotes). The first stage reads the file. */
type RgStage = [flags: string, pattern: string];

export interface QueryCase {
  name: string;
  /** Query text for parseQueryArgs and `gastrolog query`. */
  query: string;
  /** rg pipeline matching the same lines (without the time bounds for the time case). */
  rg: RgStage[];
  /** Whether rg's line count should equal our match count. */
  comparable: boolean;
  note: string;
}

/** The rg shell command; `mode` adds -c (count), -c -m N (count of the first page) or nothing. */
export function rgCommand(stages: RgStage[], mode: { count: boolean; max?: number }): string {
  return stages
    .map(([flags, pattern], i) => {
      const last = i === stages.length - 1;
      const extra = last ? `${mode.count ? " -c" : ""}${mode.max ? ` -m ${mode.max}` : ""}` : "";
      return `rg${extra} ${flags} -- '${pattern}'${i === 0 ? ' "$1"' : ""}`;
    })
    .join(" | ");
}

/** Event times (µs) of the first and last timestamped lines of `path`. */
export function corpusTimeRange(path: string): { first: number; last: number } {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const span = Math.min(size, 1 << 16);
    const head = new Uint8Array(span);
    readSync(fd, head, 0, span, 0);
    const tail = new Uint8Array(span);
    readSync(fd, tail, 0, span, size - span);
    const ctx = { year: CORPUS_YEAR };
    const stamps = (buf: Uint8Array): number[] => {
      const out: number[] = [];
      for (let s = 0, e = buf.indexOf(10); e >= 0; s = e + 1, e = buf.indexOf(10, s)) {
        const t = parseLeadingTimestamp(buf, s, e, ctx);
        if (t > 0) out.push(t);
      }
      return out;
    };
    const h = stamps(head);
    const t = stamps(tail);
    return { first: Math.min(...h), last: Math.max(...t) };
  } finally {
    closeSync(fd);
  }
}

function iso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

/** The bench cases for the corpus at `path`. */
export function queryCases(path: string): QueryCase[] {
  const { first, last } = corpusTimeRange(path);
  const from = first + Math.floor((last - first) * 0.5);
  const to = from + Math.floor((last - first) * 0.01);
  return [
    { name: "rare token", query: "rdd_100_13", rg: [["-i -w", "rdd_100_13"]], comparable: true, note: "Spark block id, 20 lines in 10M" },
    { name: "common token", query: "info", rg: [["-i -w", "info"]], comparable: true, note: "about 43% of lines" },
    { name: "two-token AND", query: "failed root", rg: [["-i -w", "failed"], ["-i -w", "root"]], comparable: true, note: "sshd failures for user root" },
    { name: "key=value", query: "level=warn", rg: [["-i -w", "level=warn"]], comparable: true, note: "logfmt lines" },
    { name: "phrase", query: '"accepted publickey"', rg: [["-i -F", "accepted publickey"]], comparable: true, note: "quoted, with a space" },
    {
      name: "time window + token",
      query: `start=${iso(from)} end=${iso(to)} error`,
      rg: [["-i -w", "error"]],
      comparable: false,
      note: "1% of the corpus time span; rg cannot bound time, so it counts the whole file",
    },
    { name: "full scan (not indexed)", query: "4242", rg: [["-i -F", "4242"]], comparable: true, note: "a number substring: numeric words are not indexed" },
  ];
}
