/**
 * Docker's json-file log driver, one JSON object per line:
 * `{"log":"text\n","stream":"stdout","time":"2026-11-26T20:49:52.54424937Z","attrs":{...}}`.
 * A message over 16 KiB is split into parts whose `log` lacks the trailing newline; parts are
 * joined per stream (stdout and stderr may interleave) until the one that ends the line. The
 * newline (and a TTY's CR) is dropped; `time` (any number of fraction digits) of the first
 * part is sourceTs; `attrs` (from --log-opt labels/env/tag) become attrs. A line that is not
 * such an object is stored as it is with `parse_error` and counted.
 */

import type { Attrs } from "../../../core/record.ts";
import { MAX_RAW_BYTES } from "../../../core/limits.ts";
import type { EntrySink } from "../../files/assembler.ts";
import type { Decoder } from "../../files/decoder.ts";
import type { ReceiverCounters } from "../../pipeline/counters.ts";
import { parseRfc3339Nano, type NanoTail } from "../../parse/rfc3339-nano.ts";

interface Held {
  parts: string[];
  length: number;
  at: number;
  ts: number;
  attrs: Attrs;
}

interface JsonLine {
  log?: unknown;
  stream?: unknown;
  time?: unknown;
  attrs?: unknown;
}

const dec = new TextDecoder();
const enc = new TextEncoder();
const scratch = new Uint8Array(64);
const tail: NanoTail = { ns: 0, end: 0 };

/** µs of a json-file `time` string, 0 when missing or malformed. */
export function jsonTime(v: unknown): number {
  if (typeof v !== "string" || v.length > scratch.length) return 0;
  const { written } = enc.encodeInto(v, scratch);
  const us = parseRfc3339Nano(scratch, 0, written, tail);
  return us < 0 ? 0 : us;
}

/** Drops a final "\n" and a CR before it (TTY). */
export function chomp(s: string): string {
  let e = s.length;
  if (e > 0 && s.charCodeAt(e - 1) === 10) e--;
  if (e > 0 && s.charCodeAt(e - 1) === 13) e--;
  return e === s.length ? s : s.slice(0, e);
}

export class DockerJsonDecoder implements Decoder {
  private readonly held = new Map<string, Held>();

  /** `attrs(stream)`: the container's attrs for that stream. */
  constructor(
    private readonly sink: EntrySink,
    private readonly attrs: (stream: string) => Attrs,
    private readonly counters: ReceiverCounters,
  ) {}

  line(buf: Uint8Array, start: number, end: number, at: number, next: number): void {
    let j: JsonLine;
    try {
      j = JSON.parse(dec.decode(buf.subarray(start, end))) as JsonLine;
    } catch {
      j = {};
    }
    if (typeof j !== "object" || j === null || typeof j.log !== "string") {
      this.counters.parseErrors++;
      this.sink.entry(buf.subarray(start, end), 0, { ...this.attrs(""), parse_error: "not a Docker json-file line" }, at, next);
      return;
    }
    const stream = typeof j.stream === "string" ? j.stream : "";
    const log = j.log;
    let h = this.held.get(stream);
    if (!h) {
      let attrs = this.attrs(stream);
      if (typeof j.attrs === "object" && j.attrs !== null) attrs = { ...attrs, ...stringValues(j.attrs as Record<string, unknown>) };
      h = { parts: [], length: 0, at, ts: jsonTime(j.time), attrs };
    }
    h.parts.push(log);
    h.length += log.length;
    if (log.endsWith("\n") || h.length >= MAX_RAW_BYTES) {
      this.held.delete(stream);
      this.emit(h, next);
    } else {
      this.held.set(stream, h);
    }
  }

  flush(): void {
    const all = [...this.held.values()];
    this.held.clear();
    for (const h of all) this.emit(h, -1);
  }

  heldFrom(): number {
    let min = -1;
    for (const h of this.held.values()) if (min < 0 || h.at < min) min = h.at;
    return min;
  }

  private emit(h: Held, next: number): void {
    const text = chomp(h.parts.length === 1 ? h.parts[0]! : h.parts.join(""));
    this.sink.entry(enc.encode(text), h.ts, h.attrs, h.at, next);
  }
}

function stringValues(o: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}
