/** zstdDecompressInto: exact bytes into a reused buffer, and every damaged or mis-sized frame refused. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { zstdDecompressInto } from "./zstd-into.ts";

describe("zstdDecompressInto", () => {
  test("property: decodes any frame into one reused buffer, exactly as Bun.zstdDecompressSync", () => {
    const out = new Uint8Array(5000);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), fc.integer({ min: 1, max: 19 }), (raw, level) => {
        const frame = Bun.zstdCompressSync(raw, { level });
        const got = zstdDecompressInto(frame, out, raw.length);
        expect(got).toBeDefined();
        expect(Buffer.from(got!).equals(Buffer.from(raw))).toBe(true);
        expect(got!.buffer).toBe(out.buffer); // no fresh memory
      }),
    );
  });

  test("a frame decoding to more or fewer bytes than the directory says is refused", () => {
    const raw = new TextEncoder().encode("abc ".repeat(500));
    const frame = Bun.zstdCompressSync(raw);
    const out = new Uint8Array(raw.length + 10);
    expect(() => zstdDecompressInto(frame, out, raw.length - 1)).toThrow(RangeError);
    expect(() => zstdDecompressInto(frame, out, raw.length + 1)).toThrow(RangeError);
    expect(() => zstdDecompressInto(frame, new Uint8Array(raw.length), raw.length)).toThrow(RangeError); // no room to see an overrun
  });

  test("damaged, truncated and foreign bytes are refused, and the next good frame still decodes", () => {
    const raw = new TextEncoder().encode("the quick brown fox 4242 ".repeat(200));
    const frame = Bun.zstdCompressSync(raw);
    const out = new Uint8Array(raw.length + 1);
    const flipped = Uint8Array.from(frame);
    flipped[8] = flipped[8]! ^ 0x55;
    flipped[9] = flipped[9]! ^ 0x33;
    for (const bad of [flipped, frame.subarray(0, frame.length - 3), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), new Uint8Array(0)]) {
      expect(() => zstdDecompressInto(bad, out, raw.length)).toThrow(RangeError);
    }
    expect(Buffer.from(zstdDecompressInto(frame, out, raw.length)!).equals(Buffer.from(raw))).toBe(true);
  });

  test("trailing bytes after the frame are refused", () => {
    const raw = new TextEncoder().encode("x".repeat(300));
    const frame = Bun.zstdCompressSync(raw);
    const padded = new Uint8Array(frame.length + 4);
    padded.set(frame);
    expect(() => zstdDecompressInto(padded, new Uint8Array(400), raw.length)).toThrow(RangeError);
  });
});
