/**
 * Per-store scratch encoder for record attributes (core/attrs-codec.ts format). Consecutive
 * records usually share one attrs object or have none, so both cases skip the encoder.
 */

import { encodeAttrsInto } from "../core/attrs-codec.ts";
import { ByteWriter } from "../core/bytes/growable.ts";
import type { Attrs } from "../core/record.ts";

const EMPTY: Uint8Array = new Uint8Array([0]);

/** Encodes attrs for the append hot path, skipping repeated and empty maps. */
export class AttrsEncoder {
  private readonly w = new ByteWriter(256);
  private last: Attrs | undefined;
  private lastBytes: Uint8Array = EMPTY;

  /** The encoding of `attrs`, a view valid until the next call. */
  encode(attrs: Attrs): Uint8Array {
    if (attrs === this.last) return this.lastBytes;
    let empty = true;
    for (const _ in attrs) {
      empty = false;
      break;
    }
    this.last = attrs;
    if (empty) {
      this.lastBytes = EMPTY;
      return EMPTY;
    }
    this.w.reset();
    encodeAttrsInto(attrs, this.w);
    this.lastBytes = this.w.finish();
    return this.lastBytes;
  }
}
