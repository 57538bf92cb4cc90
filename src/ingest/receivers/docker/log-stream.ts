/**
 * The body of Docker's `GET /containers/{id}/logs?timestamps=1` turned into records. Without a
 * TTY it is multiplexed: frames of `stream(1) 0 0 0 size(u32 BE)` + payload; with a TTY it is
 * raw bytes. Every message starts with an RFC 3339 timestamp and a space; one over 16 KiB
 * comes as parts (same timestamp, no trailing newline — in TTY mode a part is exactly 16 KiB)
 * that are joined per stream. Positions are resume points for Docker's inclusive `since`: the
 * earliest time still needed (a held part's, else the last record's) and how many records
 * already handed out will be read again from there. Docker 20.10 sends lines again when a
 * follow crosses a json-file rotation: a message whose stream, nanosecond time and text (CRC-32)
 * equal one of the last RECENT_PER_STREAM of that stream is dropped and counted. Pure; frames
 * may straddle chunks.
 */

import { concatBytes } from "../../../core/bytes/concat.ts";
import type { Attrs } from "../../../core/record.ts";
import { MAX_RAW_BYTES } from "../../../core/limits.ts";
import type { Draft } from "../../checkpoint/checkpointer.ts";
import { dockerSince, parseRfc3339Nano, type NanoTail } from "../../parse/rfc3339-nano.ts";

/** Resume point: Docker `since` (µs + sub-µs ns) and records to drop after it. */
export interface LogPosition {
  us: number;
  ns: number;
  n: number;
}

/** Messages per stream remembered to recognise ones the daemon sends again. */
const RECENT_PER_STREAM = 4096;

/** The last RECENT_PER_STREAM messages (time, text CRC) of one stream, and the newest time. */
class RecentMessages {
  private readonly us = new Float64Array(RECENT_PER_STREAM);
  private readonly ns = new Int32Array(RECENT_PER_STREAM);
  private readonly crc = new Uint32Array(RECENT_PER_STREAM);
  private next = 0;
  private size = 0;
  private maxUs = -1;
  private maxNs = 0;

  /** True when this message was seen already; otherwise remembers it. */
  seen(us: number, ns: number, raw: Uint8Array): boolean {
    const crc = Bun.hash.crc32(raw);
    if (!before(this.maxUs, this.maxNs, us, ns)) {
      for (let i = 0; i < this.size; i++) if (this.us[i] === us && this.ns[i] === ns && this.crc[i] === crc) return true;
    } else {
      this.maxUs = us;
      this.maxNs = ns;
    }
    this.us[this.next] = us;
    this.ns[this.next] = ns;
    this.crc[this.next] = crc;
    this.next = (this.next + 1) % RECENT_PER_STREAM;
    this.size = Math.min(this.size + 1, RECENT_PER_STREAM);
    return false;
  }
}

/** Size of a part of a long message (Docker's log buffer). */
export const PART_BYTES = 16 * 1024;
const HEADER = 8;
const SP = 0x20;
const LF = 0x0a;
const CR = 0x0d;
const STREAMS = ["stdin", "stdout", "stderr"];

interface Held {
  parts: Uint8Array[];
  length: number;
  us: number;
  ns: number;
}

const before = (aUs: number, aNs: number, bUs: number, bNs: number) => aUs < bUs || (aUs === bUs && aNs < bNs);

export function formatLogPosition(p: LogPosition): string {
  return JSON.stringify(p);
}

export function parseLogPosition(s: string): LogPosition | undefined {
  try {
    const p = JSON.parse(s) as Partial<LogPosition>;
    if (typeof p.us === "number" && typeof p.ns === "number" && typeof p.n === "number") return { us: p.us, ns: p.ns, n: p.n };
  } catch {
    // fall through
  }
  return undefined;
}

/** Docker `since` for a position. */
export function sinceOf(p: LogPosition): string {
  return dockerSince(p.us, p.ns);
}

export class DockerLogParser {
  /** Records finished since the owner last emptied it. */
  out: Draft[] = [];
  /** Frames or messages that could not be parsed (counted by the owner). */
  malformed = 0;
  /** Messages the daemon sent twice (dropped). */
  duplicates = 0;
  private readonly recent = new Map<number, RecentMessages>();
  private carry: Uint8Array | undefined;
  private readonly held = new Map<number, Held>();
  /** Times of records handed out that a resume from position() would read again. */
  private recentUs: number[] = [];
  private recentNs: number[] = [];
  private lastUs: number;
  private lastNs: number;
  private drop = 0;
  private readonly tail: NanoTail = { ns: 0, end: 0 };

  /**
   * Resumes at `from` (undefined: the container's first record) dropping its `n` records plus
   * `extraSkip` (already stored before a restart).
   */
  constructor(
    private readonly tty: boolean,
    private readonly attrs: (stream: string) => Attrs,
    from: LogPosition | undefined,
    extraSkip: number,
  ) {
    this.lastUs = from?.us ?? -1;
    this.lastNs = from?.ns ?? 0;
    this.drop = (from?.n ?? 0) + extraSkip;
  }

  push(chunk: Uint8Array): void {
    const buf = this.carry ? concatBytes([this.carry, chunk]) : chunk;
    this.carry = undefined;
    const pos = this.tty ? this.raw(buf) : this.frames(buf);
    if (pos < buf.length) this.carry = buf.slice(pos);
  }

  /** End of the stream: an unterminated TTY message and held parts become records. */
  end(): void {
    if (this.tty && this.carry) {
      const c = this.carry;
      this.carry = undefined;
      const sp = c.indexOf(SP);
      if (sp > 0) this.message(1, c, 0, sp, c.length);
    }
    for (const [stream, h] of [...this.held]) {
      this.held.delete(stream);
      this.emit(stream, concatBytes(h.parts), h.us, h.ns);
    }
  }

  /** Where to resume so the records handed out so far are not read again. */
  position(): LogPosition {
    let us = this.lastUs;
    let ns = this.lastNs;
    for (const h of this.held.values()) if (before(h.us, h.ns, us, ns)) [us, ns] = [h.us, h.ns];
    const keepUs: number[] = [];
    const keepNs: number[] = [];
    for (let i = 0; i < this.recentUs.length; i++) {
      if (before(this.recentUs[i]!, this.recentNs[i]!, us, ns)) continue;
      keepUs.push(this.recentUs[i]!);
      keepNs.push(this.recentNs[i]!);
    }
    this.recentUs = keepUs;
    this.recentNs = keepNs;
    return { us, ns, n: keepUs.length + this.drop };
  }

  /** Multiplexed frames from buf; returns where the first incomplete frame starts. */
  private frames(buf: Uint8Array): number {
    let pos = 0;
    while (buf.length - pos >= HEADER) {
      const size = ((buf[pos + 4]! << 24) >>> 0) + (buf[pos + 5]! << 16) + (buf[pos + 6]! << 8) + buf[pos + 7]!;
      if (buf.length - pos - HEADER < size) break;
      const s = pos + HEADER;
      const sp = buf.indexOf(SP, s);
      if (sp < 0 || sp >= s + size) this.malformed++;
      else this.message(buf[pos]!, buf, s, sp, s + size);
      pos = s + size;
    }
    return pos;
  }

  /** TTY bytes: `TS message` up to its LF or a full part; returns where the incomplete rest starts. */
  private raw(buf: Uint8Array): number {
    let pos = 0;
    while (pos < buf.length) {
      const sp = buf.indexOf(SP, pos);
      if (sp < 0) break;
      const limit = sp + 1 + PART_BYTES;
      const nl = buf.indexOf(LF, sp + 1);
      let end: number;
      if (nl >= 0 && nl < limit) end = nl + 1;
      else if (buf.length >= limit) end = limit;
      else break;
      this.message(1, buf, pos, sp, end);
      pos = end;
    }
    return pos;
  }

  /** One message: timestamp at buf[s, sp), content buf[sp + 1, e). */
  private message(stream: number, buf: Uint8Array, s: number, sp: number, e: number): void {
    const us = parseRfc3339Nano(buf, s, sp, this.tail);
    if (us < 0) {
      this.malformed++;
      return;
    }
    const ns = this.tail.ns;
    const content = buf.subarray(sp + 1, e);
    const h = this.held.get(stream);
    if (content.length === 0 || content[content.length - 1] !== LF) {
      const part = content.slice();
      if (h) {
        h.parts.push(part);
        h.length += part.length;
        if (h.length >= MAX_RAW_BYTES) {
          this.held.delete(stream);
          this.emit(stream, concatBytes(h.parts), h.us, h.ns);
        }
      } else {
        this.held.set(stream, { parts: [part], length: part.length, us, ns });
      }
      return;
    }
    let end = content.length - 1;
    if (end > 0 && content[end - 1] === CR) end--;
    if (!h) {
      this.emit(stream, content.subarray(0, end), us, ns);
      return;
    }
    this.held.delete(stream);
    h.parts.push(content.subarray(0, end));
    this.emit(stream, concatBytes(h.parts), h.us, h.ns);
  }

  private emit(stream: number, raw: Uint8Array, us: number, ns: number): void {
    let seen = this.recent.get(stream);
    if (!seen) this.recent.set(stream, (seen = new RecentMessages()));
    if (seen.seen(us, ns, raw)) {
      this.duplicates++;
      return;
    }
    if (!before(us, ns, this.lastUs, this.lastNs)) {
      this.lastUs = us;
      this.lastNs = ns;
    }
    this.recentUs.push(us);
    this.recentNs.push(ns);
    if (this.drop > 0) {
      this.drop--;
      return;
    }
    this.out.push({ raw, attrs: this.attrs(STREAMS[stream] ?? String(stream)), sourceTs: us, ingestTs: 0 });
  }
}

