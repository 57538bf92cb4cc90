/**
 * Per-store scratch encoder for record attributes (core/attrs-codec.ts format). Consecutive
 * records usually share one attrs object or have none, so both cases skip the encoder. The
 * encoding stays in the encoder's buffer (no view per record): `encode` returns its length and
 * `bytes` holds it in its first that many bytes until the next call.
 */

import { encodeAttrsInto } from "../core/attrs-codec.ts";
import { ByteWriter } from "../core/bytes/growable.ts";
import type { Attrs } from "../core/record.ts";

const EMPTY: Uint8Array = new Uint8Array([0]);

/** Encodes attrs for the append hot path, skipping repeated and empty maps. */
export class AttrsEncoder {
  private readonly w = new ByteWriter(256);
  private last: Attrs | undefined;
  private lastLength = 1;
  /** The last encoding, in its first `encode()` bytes. */
  bytes: Uint8Array = EMPTY;

  /** Encodes `attrs` into `bytes`; returns the encoding's length. */
  encode(attrs: Attrs): number {
    if (attrs === this.last) return this.lastLength;
    let empty = true;
    for (const _ in attrs) {
      empty = false;
      break;
    }
    this.last = attrs;
    if (empty) {
      this.bytes = EMPTY;
      this.lastLength = 1;
      return 1;
    }
    this.w.reset();
    encodeAttrsInto(attrs, this.w);
    this.bytes = this.w.buffer;
    this.lastLength = this.w.length;
    return this.lastLength;
  }
}
