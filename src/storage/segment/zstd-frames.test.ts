/** zstdFrameEnd / framesBeforeLast against frames written by Bun's and node:zlib's zstd, and garbage. */

import { describe, expect, test } from "bun:test";
import zlib from "node:zlib";
import fc from "fast-check";
import { framesBeforeLast, zstdFrameEnd } from "./zstd-frames.ts";

const text = (n: number) => new TextEncoder().encode(Array.from({ length: n }, (_, i) => `line ${i} value=${(i * 7919) % 1000}\n`).join(""));
const random = (n: number) => Uint8Array.from({ length: n }, (_, i) => (Math.imul(i + 1, 2654435761) >>> 13) & 0xff);

/** Frames of several shapes: tiny, empty, several compressed blocks, raw (incompressible) blocks, an RLE run. */
const frames: Record<string, Uint8Array> = {
  tiny: Bun.zstdCompressSync(new Uint8Array([1, 2, 3]), { level: 6 }),
  empty: Bun.zstdCompressSync(new Uint8Array(0), { level: 6 }),
  multiBlock: Bun.zstdCompressSync(text(40_000), { level: 6 }),
  raw: Bun.zstdCompressSync(random(300_000), { level: 3 }),
  rle: Bun.zstdCompressSync(new Uint8Array(500_000).fill(7), { level: 1 }),
  checksummed: new Uint8Array(zlib.zstdCompressSync(text(5_000), { params: { [zlib.constants.ZSTD_c_checksumFlag]: 1 } })),
};

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("zstd frame walking", () => {
  test("each frame's end is its length, whatever its blocks", () => {
    for (const [name, f] of Object.entries(frames)) expect({ name, end: zstdFrameEnd(f, 0) }).toEqual({ name, end: f.length });
  });

  test("framesBeforeLast is every frame but the last, and nothing for one frame", () => {
    const all = Object.values(frames);
    for (let k = 0; k < all.length; k++) {
      const parts = [...all.slice(k), ...all.slice(0, k)];
      const before = framesBeforeLast(concat(parts));
      expect(before).toEqual(concat(parts.slice(0, -1)));
      expect(new Uint8Array(Bun.zstdDecompressSync(before!))).toEqual(new Uint8Array(Bun.zstdDecompressSync(concat(parts.slice(0, -1)))));
      expect(framesBeforeLast(parts[0]!)).toBeUndefined();
    }
  });

  test("truncated, damaged or foreign bytes give undefined, never a throw or a frame end past the bytes", () => {
    const two = concat([frames.multiBlock!, frames.tiny!]);
    for (let cut = 0; cut < two.length; cut += 97) {
      const got = framesBeforeLast(two.subarray(0, cut));
      expect(got === undefined || cut === two.length).toBe(true);
    }
    expect(framesBeforeLast(new TextEncoder().encode("not zstd at all"))).toBeUndefined();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(), (bytes, at) => {
        const end = zstdFrameEnd(bytes, at % (bytes.length + 1));
        expect(end === undefined || end <= bytes.length).toBe(true);
        framesBeforeLast(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});
