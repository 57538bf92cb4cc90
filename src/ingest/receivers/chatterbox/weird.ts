/** The chatterbox "weird" format: eight kinds of hostile payloads as raw bytes. */

import type { Rng } from "./rng.ts";

const enc = new TextEncoder();

/** One weird payload: random bytes, control characters, UTF-8 and invalid UTF-8, long runs, ... */
export function weirdLine(rng: Rng): Uint8Array {
  switch (rng.int(8)) {
    case 0: {
      const b = new Uint8Array(rng.range(50, 250));
      for (let i = 0; i < b.length; i++) b[i] = rng.int(256);
      return b;
    }
    case 1:
      return enc.encode(`text with\x00NUL\x07BEL\x1b[31mESC\x0bVT inside`);
    case 2:
      return rng.next() < 0.5 ? enc.encode("UTF-8: héllo wörld ✓ 日本語 🚀") : Uint8Array.of(0x69, 0x6e, 0x76, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xff);
    case 3: {
      const b = new Uint8Array(rng.range(1000, 2000));
      for (let i = 0; i < b.length; i++) b[i] = 97 + rng.int(26);
      return b;
    }
    case 4: {
      const unit = String.fromCharCode(...Array.from({ length: 4 }, () => 33 + rng.int(94)));
      return enc.encode(unit.repeat(rng.range(10, 60)));
    }
    case 5:
      return enc.encode(rng.pick(["", " ", "\t\t", "   \n  "]));
    case 6:
      return enc.encode(rng.pick(['{"unterminated": "value', '{"a":1,,"b":2}', "[1, 2, {]", '{"key" "no colon"}']));
    default: {
      const b = new Uint8Array(20);
      for (let i = 0; i < 20; i++) b[i] = rng.next() < 0.5 ? rng.int(32) : 65 + rng.int(26);
      return new Uint8Array([...enc.encode("START"), ...b, ...enc.encode("END")]);
    }
  }
}
