/**
 * Records as the REPL and `gastrolog query` print them: `<event time> <attrs|-> <raw>` (context
 * records indented by two spaces) with control characters and non-UTF-8 bytes escaped
 * (core/display.ts), levels coloured and matched terms highlighted when colour is on; or one
 * JSON object per record. Pure: proto Hit in, text out.
 */

import type { Hit } from "../../api/gen/gastrolog/v1/common_pb.ts";
import { displayText, escapeControls, jsonWithoutC1 } from "../../core/display.ts";
import { formatRfc3339Micros } from "../../core/time.ts";
import { findTerms } from "./highlight.ts";
import { findLevel, levelColor, type Style } from "./style.ts";

const strict = new TextDecoder("utf-8", { fatal: true });
const lossy = new TextDecoder("utf-8");
const identity = (s: string) => s;

/** Event time of a wire record: source time when known, else ingest time (µs). */
export function hitTime(h: Hit): number {
  const r = h.record;
  if (!r) return 0;
  return Number(r.sourceTsUs !== 0n ? r.sourceTsUs : r.ingestTsUs);
}

function attrsText(attrs: Readonly<Record<string, string>>, st: Style, escape: (s: string) => string): string {
  const keys = Object.keys(attrs).sort();
  if (keys.length === 0) return "-";
  return keys
    .map((k) => {
      const v = escape(attrs[k]!);
      const lc = k === "level" || k === "severity" ? levelColor(st.c, v) : undefined;
      return `${st.c.cyan(escape(k))}=${lc ? lc(v) : v}`;
    })
    .join(",");
}

/**
 * `<event time> <attrs|->` of a hit, the text before its raw bytes; `escape` false leaves the
 * attributes as stored (`gastrolog query --raw`).
 */
export function hitHead(h: Hit, st: Style, escape = true): string {
  return `${h.context ? "  " : ""}${st.c.dim(formatRfc3339Micros(hitTime(h)))} ${attrsText(h.record?.attrs ?? {}, st, escape ? escapeControls : identity)}`;
}

/** `raw` with highlight ranges for `terms` and the first level word coloured. */
function rawText(text: string, terms: readonly string[], st: Style): string {
  if (!st.c.isColorSupported) return text;
  const ranges: [number, number, (s: string) => string][] = findTerms(text, terms).map(([s, e]) => [s, e, (x: string) => st.c.bold(st.c.inverse(x))]);
  const lvl = findLevel(text);
  if (lvl && !ranges.some(([s, e]) => lvl[0] < e && lvl[1] > s)) {
    const f = levelColor(st.c, text.slice(lvl[0], lvl[1]));
    if (f) ranges.push([lvl[0], lvl[1], f]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  for (const [s, e, f] of ranges) {
    out += text.slice(at, s) + f(text.slice(s, e));
    at = e;
  }
  return out + text.slice(at);
}

/** One text line for a hit (no trailing newline). */
export function hitLine(h: Hit, terms: readonly string[], st: Style): string {
  const raw = h.record ? displayText(h.record.raw) : "";
  return `${hitHead(h, st)} ${rawText(raw, h.context ? [] : terms, st)}`;
}

function time(us: bigint): string | null {
  return us === 0n ? null : formatRfc3339Micros(Number(us));
}

/**
 * One JSON object for a hit: time, source, ingest, write, raw (+raw_base64, the exact bytes,
 * when they are not valid UTF-8), attrs, store, chunk, position; no raw control characters.
 */
export function hitJson(h: Hit): string {
  const r = h.record;
  const bytes = r?.raw ?? new Uint8Array();
  let raw: string;
  let rawBase64: string | undefined;
  try {
    raw = strict.decode(bytes);
  } catch {
    raw = lossy.decode(bytes);
    rawBase64 = Buffer.from(bytes).toString("base64");
  }
  return jsonWithoutC1(JSON.stringify({
    time: formatRfc3339Micros(hitTime(h)),
    source: time(r?.sourceTsUs ?? 0n),
    ingest: time(r?.ingestTsUs ?? 0n),
    write: time(r?.writeTsUs ?? 0n),
    raw,
    ...(rawBase64 !== undefined ? { raw_base64: rawBase64 } : {}),
    attrs: r?.attrs ?? {},
    store: h.ref?.store ?? "",
    chunk: h.ref?.chunk ?? "",
    position: h.ref?.pos ?? 0,
    ...(h.context ? { context: true } : {}),
  }));
}
