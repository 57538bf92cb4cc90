/**
 * MessagePack for Fluent Forward on msgpackr: one configured Unpackr (maps as plain objects,
 * no msgpackr records, int64 as exact decimal strings), the EventTime extension (type 0:
 * uint32 BE seconds, uint32 BE nanoseconds), and a stream splitter that turns TCP chunks into
 * whole top-level values. msgpackr's extensions are process-wide; this module owns type 0.
 */

import { addExtension, Packr, Unpackr } from "msgpackr";
import { LogError } from "../../../core/errors.ts";

/** Fluent's EventTime: seconds and nanoseconds since the epoch. */
export class EventTime {
  constructor(
    readonly seconds: number,
    readonly nanos: number,
  ) {}
}

/** MessagePack extension type of EventTime. */
export const EVENT_TIME_EXT = 0;

/** Decoding only: the server never sends EventTime (msgpackr cannot register a packer for type 0). */
addExtension({
  type: EVENT_TIME_EXT,
  unpack(b: Uint8Array): EventTime {
    if (b.length !== 8) throw new LogError("invalid_argument", `EventTime extension must be 8 bytes, got ${b.length}`);
    const v = new DataView(b.buffer, b.byteOffset, 8);
    return new EventTime(v.getUint32(0), v.getUint32(4));
  },
});

/** The 10 bytes of an EventTime as MessagePack (fixext 8, type 0), for building client frames. */
export function encodeEventTime(seconds: number, nanos: number): Uint8Array {
  const out = new Uint8Array(10);
  out[0] = 0xd7;
  out[1] = EVENT_TIME_EXT;
  const v = new DataView(out.buffer);
  v.setUint32(2, seconds);
  v.setUint32(6, nanos);
  return out;
}

const unpackr = new Unpackr({ mapsAsObjects: true, useRecords: false, int64AsType: "string" });
const packr = new Packr({ useRecords: false, variableMapSize: true });

/** Encodes one value (acks, HELO, PONG; tests build client frames with it). */
export function packMsgpack(v: unknown): Uint8Array {
  return packr.pack(v);
}

/** Every value in `b`, which must hold whole values only; throws on anything else. */
export function unpackAll(b: Uint8Array): unknown[] {
  return b.length === 0 ? [] : unpackr.unpackMultiple(b);
}

/** Receives whole values from a MessagePackStream. */
export interface ValueSink {
  value(v: unknown, bytes: number): void;
  /** Undecodable bytes or a value over the size limit: the stream stops. */
  error(message: string, bytes: number): void;
}

/**
 * Splits a byte stream into top-level values. A value cut by the end of a chunk waits for more
 * bytes; when msgpackr knows how many are missing (a str/bin/ext length header ran past the
 * end) it is not re-parsed before they arrived, so a big PackedForward payload in small TCP
 * pieces costs O(n). A value cut between many small items (a huge Forward-mode array) is
 * re-parsed per chunk: correct, but quadratic in the worst case.
 */
export class MessagePackStream {
  private pending: Uint8Array | undefined;
  private retryAt = 0;
  private failed = false;
  /** Bytes pushed so far (error messages give positions in the whole stream). */
  private seen = 0;

  /** `maxValueBytes`: the most bytes one value may take; more is an error. */
  constructor(private readonly maxValueBytes: number) {}

  push(chunk: Uint8Array, sink: ValueSink): void {
    if (this.failed) return;
    this.seen += chunk.length;
    let data = chunk;
    if (this.pending) {
      data = Buffer.concat([this.pending, chunk]);
      if (data.length < this.retryAt) {
        this.pending = data;
        return;
      }
    }
    this.pending = undefined;
    const values: unknown[] = [];
    const sizes: number[] = [];
    let consumed = data.length;
    let missing = 0;
    let problem: string | undefined;
    try {
      unpackr.unpackMultiple(data, (v, start, end) => {
        values.push(v);
        sizes.push((end ?? 0) - (start ?? 0));
      });
    } catch (err) {
      const e = err as { incomplete?: boolean; lastPosition?: number; missingBytes?: number; message?: string };
      consumed = e.lastPosition ?? 0;
      missing = e.missingBytes ?? 0;
      if (!e.incomplete) problem = `undecodable MessagePack at byte ${this.seen - data.length + consumed}: ${e.message ?? String(err)}`;
    }
    for (let i = 0; i < values.length && !this.failed; i++) sink.value(values[i], sizes[i]!);
    if (this.failed) return;
    if (problem !== undefined) return this.fail(problem, data.length - consumed, sink);
    if (consumed === data.length) return;
    const rest = data.subarray(consumed);
    if (rest.length + missing > this.maxValueBytes) return this.fail(`a MessagePack value is larger than maxMessageBytes (${this.maxValueBytes} bytes)`, rest.length, sink);
    this.pending = rest.slice();
    this.retryAt = Math.min(this.maxValueBytes + 1, rest.length + missing);
  }

  /** Bytes waiting for the rest of a value (lost if the connection closes now). */
  get buffered(): number {
    return this.pending?.length ?? 0;
  }

  /** Stops the stream (the connection is being closed for another reason). */
  stop(): void {
    this.failed = true;
    this.pending = undefined;
  }

  private fail(message: string, bytes: number, sink: ValueSink): void {
    this.failed = true;
    this.pending = undefined;
    sink.error(message, bytes);
  }
}
