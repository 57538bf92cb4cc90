/**
 * RFC 6587 stream framing for syslog over TCP, both methods on one connection: a frame that
 * starts with a digit 1-9 is octet-counted (`LEN SP MSG`), anything else runs to LF or NUL
 * (non-transparent framing; NUL ends a frame too, as in syslog-ng and rsyslog, because C
 * senders such as Python's SysLogHandler end each message with NUL and send no LF). A trailing
 * NUL, LF and CR inside a frame are framing (rsyslog counts its LF in the octet count); empty
 * frames are skipped. An optional PROXY v1 line is accepted first. A frame longer than
 * `maxFrame` is cut to it and its tail dropped as "truncated" (counted once per message; keep
 * maxFrame above MAX_RAW_BYTES so the record is marked truncated too).
 * Pure: bytes in, frames out; every input byte ends up in a frame, in `overhead`, or in a
 * counted drop.
 */

import type { DropReason } from "../../pipeline/counters.ts";

/** Receives frames and drops. `buf` is never modified afterwards (subarrays may be kept). */
export interface FrameSink {
  frame(buf: Uint8Array, start: number, end: number): void;
  /** `messages` is how many messages the drop stands for (0 for more of one already counted). */
  dropped(reason: DropReason, messages: number, bytes: number): void;
}

/** The PROXY v1 header of a connection. */
export interface ProxyInfo {
  protocol: string;
  source: string;
  destination: string;
  sourcePort: number;
  destinationPort: number;
}

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const SP = 0x20;
/** Longest PROXY v1 line including CRLF (HAProxy spec). */
const PROXY_MAX = 107;
const PROXY_PREFIX = "PROXY ";
/** Most MSG-LEN digits accepted (999,999,999 bytes). */
const MAX_LEN_DIGITS = 9;

const latin1 = new TextDecoder("latin1");

export class SyslogStreamFramer {
  /** Framing bytes consumed (length headers, LF/CR, empty lines, the PROXY line). */
  overhead = 0;
  proxy: ProxyInfo | undefined;
  private pending: Uint8Array[] = [];
  private pendingLen = 0;
  /** Bytes the pending data must reach before it is worth re-parsing; -1: wait for an LF. */
  private need = -1;
  private expectProxy: boolean;
  /** Bytes of an oversize octet-counted frame still to discard. */
  private skip = 0;
  /** Discarding the rest of an oversize LF/NUL-terminated frame. */
  private skipToDelim = false;
  /** Next LF / NUL at or after the scan position in the buffer being processed (-1: none left). */
  private nextLf = -1;
  private nextNul = -1;

  constructor(
    private readonly maxFrame: number,
    proxyProtocol = false,
  ) {
    this.expectProxy = proxyProtocol;
  }

  /**
   * Feeds received bytes. A frame started in earlier chunks is completed by copying only the
   * bytes it still needs (up to its octet count or its delimiter) next to what is pending; the
   * rest of the chunk is framed in place, without a copy.
   */
  push(chunk: Uint8Array, sink: FrameSink): void {
    let rest: Uint8Array | undefined = chunk;
    while (rest) {
      if (this.pending.length === 0) {
        this.process(rest, sink);
        return;
      }
      const take = this.bytesToComplete(rest);
      if (take < 0) {
        this.pending.push(rest);
        this.pendingLen += rest.length;
        return;
      }
      const head = take === rest.length ? rest : rest.subarray(0, take);
      rest = take === rest.length ? undefined : rest.subarray(take);
      this.pending.push(head);
      const data = Buffer.concat(this.pending, this.pendingLen + head.length);
      this.pending = [];
      this.pendingLen = 0;
      this.process(data, sink);
    }
  }

  /**
   * How many leading bytes of `chunk` the pending partial frame needs before it is worth
   * re-parsing (all of them when that is not known to be fewer), or -1 when it still waits
   * after all of `chunk`.
   */
  private bytesToComplete(chunk: Uint8Array): number {
    const total = this.pendingLen + chunk.length;
    if (this.need >= 0) return total < this.need ? -1 : this.need - this.pendingLen;
    const lf = chunk.indexOf(LF);
    const nul = chunk.indexOf(NUL);
    const d = lf < 0 ? nul : nul < 0 ? lf : Math.min(lf, nul);
    if (d >= 0) return d + 1;
    return total > this.maxFrame ? chunk.length : -1;
  }

  /** The peer closed: a final unterminated line is a message; a cut octet frame is dropped. */
  end(sink: FrameSink): void {
    if (this.pendingLen === 0) return;
    const data = Buffer.concat(this.pending, this.pendingLen);
    this.pending = [];
    this.pendingLen = 0;
    if (this.need >= 0) sink.dropped("incomplete", 1, data.length);
    else this.emitLine(data, 0, data.length, sink);
  }

  private process(data: Uint8Array, sink: FrameSink): void {
    const end = data.length;
    let i = 0;
    this.nextLf = -2;
    this.nextNul = -2;
    while (i < end) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, end - i);
        sink.dropped("truncated", 0, n);
        this.skip -= n;
        i += n;
        continue;
      }
      if (this.skipToDelim) {
        const d = this.delimiter(data, i);
        const stop = d < 0 ? end : d + 1;
        sink.dropped("truncated", 0, stop - i);
        i = stop;
        if (d >= 0) this.skipToDelim = false;
        continue;
      }
      const b = data[i]!;
      if (b === LF || b === CR || b === NUL) {
        this.overhead++;
        i++;
        continue;
      }
      if (this.expectProxy) {
        const next = this.proxyLine(data, i, sink);
        if (next < 0) return this.keep(data, i, -1);
        i = next;
        continue;
      }
      if (b >= 0x31 && b <= 0x39) {
        const next = this.octetFrame(data, i, sink);
        if (next === -2) return this.keep(data, i, this.need);
        if (next >= 0) {
          i = next;
          continue;
        }
      }
      const d = this.delimiter(data, i);
      if (d < 0) {
        if (end - i > this.maxFrame) {
          this.emitLine(data, i, i + this.maxFrame, sink);
          sink.dropped("truncated", 1, end - i - this.maxFrame);
          this.skipToDelim = true;
          return;
        }
        return this.keep(data, i, -1);
      }
      if (d - i > this.maxFrame) {
        this.emitLine(data, i, i + this.maxFrame, sink);
        sink.dropped("truncated", 1, d + 1 - i - this.maxFrame);
      } else {
        this.emitLine(data, i, d, sink);
        this.overhead++;
      }
      i = d + 1;
    }
  }

  /**
   * Index of the first LF or NUL at or after i, or -1. Each delimiter kind is searched once per
   * position it can next occur at, so a buffer without NULs (or LFs) costs one scan, not one
   * per frame.
   */
  private delimiter(data: Uint8Array, i: number): number {
    if (this.nextLf !== -1 && this.nextLf < i) this.nextLf = data.indexOf(LF, i);
    if (this.nextNul !== -1 && this.nextNul < i) this.nextNul = data.indexOf(NUL, i);
    if (this.nextLf < 0) return this.nextNul;
    if (this.nextNul < 0) return this.nextLf;
    return Math.min(this.nextLf, this.nextNul);
  }

  /**
   * Octet-counted frame at i: returns the index after it, -1 when the bytes are not a length
   * header (LF framing applies), -2 when more bytes are needed (`need` set).
   */
  private octetFrame(data: Uint8Array, i: number, sink: FrameSink): number {
    const end = data.length;
    let j = i;
    let len = 0;
    while (j < end && j - i <= MAX_LEN_DIGITS && data[j]! >= 0x30 && data[j]! <= 0x39) len = len * 10 + data[j++]! - 0x30;
    if (j - i > MAX_LEN_DIGITS) return -1;
    if (j === end) {
      this.need = end - i + 1;
      return -2;
    }
    if (data[j] !== SP) return -1;
    const start = j + 1;
    const take = Math.min(len, this.maxFrame);
    if (start + take > end) {
      this.need = start + take - i;
      return -2;
    }
    this.overhead += start - i;
    let e = start + take;
    if (take === len) {
      e = trimFrameEnd(data, start, e);
      this.overhead += start + len - e;
    } else {
      this.skip = len - take;
      sink.dropped("truncated", 1, 0);
    }
    if (e > start) sink.frame(data, start, e);
    return start + take;
  }

  /** Consumes a PROXY v1 line at i; -1 when it is not complete yet. */
  private proxyLine(data: Uint8Array, i: number, sink: FrameSink): number {
    const end = data.length;
    const avail = Math.min(end - i, PROXY_PREFIX.length);
    for (let k = 0; k < avail; k++) {
      if (data[i + k] !== PROXY_PREFIX.charCodeAt(k)) {
        this.expectProxy = false;
        return i;
      }
    }
    const lf = data.indexOf(LF, i);
    if (lf < 0 || lf - i >= PROXY_MAX) {
      if (lf < 0 && end - i < PROXY_MAX) return -1;
      this.expectProxy = false;
      return i;
    }
    this.expectProxy = false;
    const line = latin1.decode(data.subarray(i, lf)).replace(/\r$/, "");
    const p = line.split(" ");
    if (p.length === 6 && (p[1] === "TCP4" || p[1] === "TCP6")) {
      this.proxy = { protocol: p[1]!, source: p[2]!, destination: p[3]!, sourcePort: Number(p[4]), destinationPort: Number(p[5]) };
      this.overhead += lf + 1 - i;
    } else if (p[1] === "UNKNOWN") {
      this.overhead += lf + 1 - i;
    } else {
      sink.dropped("protocol", 1, lf + 1 - i);
    }
    return lf + 1;
  }

  private emitLine(data: Uint8Array, start: number, end: number, sink: FrameSink): void {
    const e = trimFrameEnd(data, start, end);
    this.overhead += end - e;
    if (e > start) sink.frame(data, start, e);
  }

  private keep(data: Uint8Array, i: number, need: number): void {
    this.need = need;
    if (i >= data.length) return;
    const rest = data.subarray(i);
    this.pending = [rest];
    this.pendingLen = rest.length;
  }
}

/**
 * End of a message without its framing: one trailing NUL, then one LF, then one CR (C senders
 * append NUL to a message that may end in a line break). Shared by TCP frames and datagrams.
 */
export function trimFrameEnd(buf: Uint8Array, start: number, end: number): number {
  let e = end;
  if (e > start && buf[e - 1] === NUL) e--;
  if (e > start && buf[e - 1] === LF) e--;
  if (e > start && buf[e - 1] === CR) e--;
  return e;
}
