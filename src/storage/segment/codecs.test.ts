/**
 * Block codecs: property round trips for zstd, lz4 and none, the incompressible fallback, LZ4
 * decoding of hand-made blocks, damaged LZ4 input rejected by length instead of misread, and
 * zstd bodies cut into frames decoding whole through both decompression paths.
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { compressBlockBody, decompressBlockBody } from "./codecs.ts";
import { zstdDecompressInto } from "./zstd-into.ts";
import { CODEC_LZ4, CODEC_NAMES, CODEC_NONE, CODEC_ZSTD } from "./format.ts";

const enc = new TextEncoder();
/** Log-like bodies: repeated words with numbers, so real codecs find matches. */
const logLike = fc
  .array(fc.tuple(fc.constantFrom("GET", "POST", "ERROR", "info", "user="), fc.nat(5000)), { maxLength: 300 })
  .map((parts) => enc.encode(parts.map(([w, n]) => `${w} ${n}\n`).join("")));
const anyBody = fc.oneof(fc.uint8Array({ maxLength: 3000 }), logLike);

describe("block codecs", () => {
  test.each(CODEC_NAMES.map((c) => [c]))("property: %s round trips any body", (codec) => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const { stored, codec: id } = compressBlockBody(body, codec, 3);
        expect(stored.length).toBeLessThanOrEqual(body.length);
        expect(decompressBlockBody(stored, id, body.length)).toEqual(body);
      }),
      { numRuns: 150 },
    );
  });

  test("property: a zstd body cut at given offsets is one frame per non-empty part, decoding as the whole body", () => {
    fc.assert(
      fc.property(logLike, fc.array(fc.nat(), { maxLength: 3 }), (body, picks) => {
        const cuts = [...new Set(picks.map((p) => (body.length === 0 ? 0 : p % body.length)))].sort((a, b) => a - b);
        const { stored, codec } = compressBlockBody(body, "zstd", 3, cuts);
        if (codec === CODEC_NONE) return;
        expect(countFrames(stored)).toBe(Math.max(1, cuts.filter((c) => c > 0).length + 1));
        expect(decompressBlockBody(stored, codec, body.length)).toEqual(body);
        const into = zstdDecompressInto(stored, new Uint8Array(body.length + 1), body.length);
        if (into !== undefined) expect(into).toEqual(body);
      }),
      { numRuns: 150 },
    );
  });

  test("compressible data uses the codec; incompressible data and 'none' store the body", () => {
    const text = enc.encode("2025-03-01 INFO request done status=200 path=/api/v1/users\n".repeat(200));
    let x = 0x9e3779b9;
    const noise = new Uint8Array(4096).map(() => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 24));
    const ids = (b: Uint8Array) => CODEC_NAMES.map((c) => compressBlockBody(b, c, 3).codec);
    expect({ text: ids(text), noise: ids(noise), empty: ids(new Uint8Array(0)) }).toEqual({
      text: [CODEC_NONE, CODEC_ZSTD, CODEC_LZ4],
      noise: [CODEC_NONE, CODEC_NONE, CODEC_NONE],
      empty: [CODEC_NONE, CODEC_NONE, CODEC_NONE],
    });
  });

  test("decodes hand-made LZ4 blocks (literals, overlapping match, long lengths)", () => {
    const cases: { block: number[]; out: string }[] = [
      { block: [0x50, ...enc.encode("hello")], out: "hello" },
      // "ab" then a match at offset 2 of length 4+2=6 (overlapping copy), then 5 literals.
      { block: [0x22, 0x61, 0x62, 0x02, 0x00, 0x50, ...enc.encode("tail!")], out: "abababab" + "tail!" },
      // 15+3 literals "x", then the final literal run.
      { block: [0xf0, 0x03, ...enc.encode("x".repeat(18))], out: "x".repeat(18) },
    ];
    for (const c of cases) {
      expect(new TextDecoder().decode(decompressBlockBody(Uint8Array.from(c.block), CODEC_LZ4, c.out.length))).toBe(c.out);
    }
  });

  test("damaged or mislabelled blocks throw RangeError, never return wrong-sized data", () => {
    const body = enc.encode("status=200 path=/x ".repeat(100));
    const { stored } = compressBlockBody(body, "lz4", 3);
    const truncated = stored.subarray(0, stored.length >> 1);
    expect(() => decompressBlockBody(truncated, CODEC_LZ4, body.length)).toThrow(RangeError);
    expect(() => decompressBlockBody(stored, CODEC_LZ4, body.length + 1)).toThrow(RangeError);
    expect(() => decompressBlockBody(stored, 7, body.length)).toThrow("unknown block codec 7");
  });
});

/** Occurrences of the zstd frame magic (28 B5 2F FD); frames this small practically never contain it inside. */
function countFrames(stored: Uint8Array): number {
  let frames = 0;
  for (let k = 0; k + 4 <= stored.length; k++) {
    if (stored[k] === 0x28 && stored[k + 1] === 0xb5 && stored[k + 2] === 0x2f && stored[k + 3] === 0xfd) frames++;
  }
  return frames;
}
