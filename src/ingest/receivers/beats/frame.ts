/**
 * Lumberjack v2 framing (Elastic Beats' `output.logstash`), client -> server:
 *
 *   '2' 'W' | count u32                                  window: the next `count` events
 *   '2' 'J' | seq u32 | len u32 | JSON[len]              one event as a JSON object
 *   '2' 'D' | seq u32 | pairs u32 | (klen u32 | key | vlen u32 | value) x pairs
 *   '2' 'C' | len u32 | zlib[len]                        frames, deflated (whole frames only)
 *
 * and server -> client '2' 'A' | seq u32 (acks, encodeAck). All integers big-endian. Anything
 * else — version 1, an unknown type, a client 'A', a frame or inflated payload over its limit,
 * bad zlib, a compressed payload ending inside a frame, 'C' inside 'C' — is an error that ends
 * the stream. Pure (apart from zlib): bytes in, frames out, in order.
 */

import { inflateSync } from "node:zlib";
import { errorMessage } from "../../../core/errors.ts";

const V2 = 0x32;
const V1 = 0x31;
const WINDOW = 0x57;
const JSON_FRAME = 0x4a;
const DATA = 0x44;
const COMPRESSED = 0x43;
const ACK = 0x41;

/** Receives frames in order. Views (`buf`, start, end) are valid only during the call. */
export interface LumberjackSink {
  window(count: number): void;
  json(seq: number, buf: Uint8Array, start: number, end: number): void;
  dataFrame(seq: number, pairs: [string, string][]): void;
  /** The stream broke the protocol; nothing more is parsed. `bytes` were discarded. */
  error(message: string, bytes: number): void;
}

/** Size bounds: one frame's payload on the wire, and one compressed frame inflated. */
export interface LumberjackLimits {
  maxFrameBytes: number;
  maxDecodedBytes: number;
}

/** The 6 bytes of `2A <seq>`. */
export function encodeAck(seq: number): Uint8Array {
  const b = new Uint8Array(6);
  b[0] = V2;
  b[1] = ACK;
  new DataView(b.buffer).setUint32(2, seq);
  return b;
}

const latin1 = new TextDecoder("latin1");

/** Big-endian u32 at `i` (no DataView per frame: this runs once per event). */
function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
}
const utf8 = new TextDecoder();

/** Result of parsing at an offset: bytes consumed, 0 = need more (see `need`), -1 = error. */
type Step = number;

export class LumberjackParser {
  private pending: Uint8Array[] = [];
  private pendingLen = 0;
  /** Bytes the pending data must reach before parsing again. */
  private need = 0;
  private failed = false;

  constructor(private readonly limits: LumberjackLimits) {}

  /** Bytes held waiting for the rest of a frame. */
  get buffered(): number {
    return this.pendingLen;
  }

  push(chunk: Uint8Array, sink: LumberjackSink): void {
    if (this.failed) return;
    let data = chunk;
    if (this.pendingLen > 0) {
      this.pending.push(chunk);
      this.pendingLen += chunk.length;
      if (this.pendingLen < this.need) return;
      data = Buffer.concat(this.pending, this.pendingLen);
      this.pending = [];
      this.pendingLen = 0;
    }
    let i = 0;
    while (i < data.length && !this.failed) {
      const n = this.frame(data, i, sink, false);
      if (n < 0) return;
      if (n === 0) {
        const rest = data.subarray(i);
        this.pending = [rest.slice()];
        this.pendingLen = rest.length;
        return;
      }
      i += n;
    }
  }

  /** Stops parsing (the connection is closing for another reason). */
  stop(): void {
    this.failed = true;
    this.pending = [];
    this.pendingLen = 0;
  }

  private fail(sink: LumberjackSink, message: string, bytes: number): Step {
    this.failed = true;
    this.pending = [];
    this.pendingLen = 0;
    sink.error(message, bytes);
    return -1;
  }

  /** Parses one frame at i. Inside a compressed payload (`inner`), a cut frame is an error. */
  private frame(b: Uint8Array, i: number, sink: LumberjackSink, inner: boolean): Step {
    const avail = b.length - i;
    const wait = (n: number): Step => {
      if (inner) return this.fail(sink, `compressed payload ends inside a frame (${avail} of at least ${n} bytes)`, avail);
      this.need = n;
      return 0;
    };
    if (avail < 2) return wait(2);
    const version = b[i]!;
    const type = b[i + 1]!;
    if (version !== V2) {
      const what = version === V1 ? "Lumberjack v1 is not supported (use v2: Beats output.logstash)" : `bad version byte 0x${version.toString(16).padStart(2, "0")}`;
      return this.fail(sink, what, avail);
    }
    switch (type) {
      case WINDOW:
        if (avail < 6) return wait(6);
        sink.window(u32(b, i + 2));
        return 6;
      case JSON_FRAME: {
        if (avail < 10) return wait(10);
        const len = u32(b, i + 6);
        if (len > this.limits.maxFrameBytes) return this.fail(sink, `JSON frame of ${len} bytes is over maxFrameBytes ${this.limits.maxFrameBytes}`, avail);
        if (avail < 10 + len) return wait(10 + len);
        sink.json(u32(b, i + 2), b, i + 10, i + 10 + len);
        return 10 + len;
      }
      case DATA:
        return this.dataFrame(b, i, sink, wait);
      case COMPRESSED: {
        if (inner) return this.fail(sink, "compressed frame inside a compressed frame", avail);
        if (avail < 6) return wait(6);
        const len = u32(b, i + 2);
        if (len > this.limits.maxFrameBytes) return this.fail(sink, `compressed frame of ${len} bytes is over maxFrameBytes ${this.limits.maxFrameBytes}`, avail);
        if (avail < 6 + len) return wait(6 + len);
        let plain: Uint8Array;
        try {
          plain = inflateSync(b.subarray(i + 6, i + 6 + len), { maxOutputLength: this.limits.maxDecodedBytes });
        } catch (err) {
          return this.fail(sink, `compressed frame: ${errorMessage(err)}`, 6 + len);
        }
        for (let j = 0; j < plain.length && !this.failed; ) {
          const n = this.frame(plain, j, sink, true);
          if (n < 0) return -1;
          j += n;
        }
        return this.failed ? -1 : 6 + len;
      }
      case ACK:
        return this.fail(sink, "unexpected ack frame from the client", avail);
      default:
        return this.fail(sink, `unknown frame type 0x${type.toString(16).padStart(2, "0")} ('${latin1.decode(b.subarray(i + 1, i + 2))}')`, avail);
    }
  }

  private dataFrame(b: Uint8Array, i: number, sink: LumberjackSink, wait: (n: number) => Step): Step {
    const avail = b.length - i;
    if (avail < 10) return wait(10);
    const seq = u32(b, i + 2);
    const count = u32(b, i + 6);
    const pairs: [string, string][] = [];
    let j = i + 10;
    for (let k = 0; k < count; k++) {
      const parts: string[] = [];
      for (let f = 0; f < 2; f++) {
        if (j + 4 > b.length) return wait(j + 4 - i);
        const len = u32(b, j);
        if (j + 4 + len - i > this.limits.maxFrameBytes) return this.fail(sink, `data frame over maxFrameBytes ${this.limits.maxFrameBytes}`, avail);
        if (j + 4 + len > b.length) return wait(j + 4 + len - i);
        parts.push(utf8.decode(b.subarray(j + 4, j + 4 + len)));
        j += 4 + len;
      }
      pairs.push([parts[0]!, parts[1]!]);
    }
    sink.dataFrame(seq, pairs);
    return j - i;
  }
}
