/**
 * The CRI log format kubelet's runtimes write under /var/log/pods:
 * `2026-11-26T20:52:34.032809736Z stdout F message` — an RFC 3339 time with nine fraction
 * digits (trailing zeros may be dropped), the stream, a tag (`F` full, `P` partial: the line
 * was cut, its rest follows in the next record of the same stream; the tag may carry more
 * `:`-separated fields) and the message without its newline. Partials are joined per stream.
 * A line that does not parse is stored as it is with `parse_error` and counted.
 */

import { concatBytes } from "../../../core/bytes/concat.ts";
import type { Attrs } from "../../../core/record.ts";
import { MAX_RAW_BYTES } from "../../../core/limits.ts";
import type { EntrySink } from "../../files/assembler.ts";
import type { Decoder } from "../../files/decoder.ts";
import type { ReceiverCounters } from "../../pipeline/counters.ts";
import { parseRfc3339Nano, type NanoTail } from "../../parse/rfc3339-nano.ts";

const SP = 0x20;
const PARTIAL = 0x50; // 'P'

interface Held {
  parts: Uint8Array[];
  length: number;
  at: number;
  ts: number;
}

const dec = new TextDecoder();

/** Index of the first space in buf[from, end), or -1. */
function space(buf: Uint8Array, from: number, end: number): number {
  const i = buf.indexOf(SP, from);
  return i < 0 || i >= end ? -1 : i;
}

export class CriDecoder implements Decoder {
  private readonly held = new Map<string, Held>();
  private readonly tail: NanoTail = { ns: 0, end: 0 };

  constructor(
    private readonly sink: EntrySink,
    private readonly attrs: (stream: string) => Attrs,
    private readonly counters: ReceiverCounters,
  ) {}

  line(buf: Uint8Array, start: number, end: number, at: number, next: number): void {
    const s1 = space(buf, start, end);
    const s2 = s1 < 0 ? -1 : space(buf, s1 + 1, end);
    const s3 = s2 < 0 ? -1 : Math.max(space(buf, s2 + 1, end), -1);
    const ts = s1 > start ? parseRfc3339Nano(buf, start, s1, this.tail) : -1;
    const tagEnd = s3 < 0 ? end : s3;
    if (ts < 0 || s2 - s1 < 2 || tagEnd - s2 < 2) {
      this.counters.parseErrors++;
      this.sink.entry(buf.subarray(start, end), 0, { ...this.attrs(""), parse_error: "not a CRI log line" }, at, next);
      return;
    }
    const stream = dec.decode(buf.subarray(s1 + 1, s2));
    const content = buf.subarray(s3 < 0 ? end : s3 + 1, end);
    const partial = buf[s2 + 1] === PARTIAL;
    const h = this.held.get(stream);
    if (!h && !partial) {
      this.sink.entry(content, ts, this.attrs(stream), at, next);
      return;
    }
    const cur = h ?? { parts: [], length: 0, at, ts };
    cur.parts.push(content.slice());
    cur.length += content.length;
    if (partial && cur.length < MAX_RAW_BYTES) {
      this.held.set(stream, cur);
      return;
    }
    this.held.delete(stream);
    this.emit(stream, cur, next);
  }

  flush(): void {
    const all = [...this.held];
    this.held.clear();
    for (const [stream, h] of all) this.emit(stream, h, -1);
  }

  heldFrom(): number {
    let min = -1;
    for (const h of this.held.values()) if (min < 0 || h.at < min) min = h.at;
    return min;
  }

  private emit(stream: string, h: Held, next: number): void {
    this.sink.entry(concatBytes(h.parts), h.ts, this.attrs(stream), h.at, next);
  }
}
