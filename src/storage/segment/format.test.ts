/** Header, footer and directory codecs: property round trips and rejection of bad fields. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { CorruptError, LogError } from "../../core/errors.ts";
import type { TimeRange } from "../types.ts";
import { decodeDirectory, encodeDirectory, INDEX_STATUSES, SUMMARY_SIZE, type Directory } from "./directory.ts";
import { CODEC_NAMES, decodeFooter, decodeHeader, encodeFooter, encodeHeader, FOOTER_SIZE, MAX_CHUNK_ID_BYTES, SEGMENT_VERSION } from "./format.ts";

const P = "/seg/x.seg";
const rangeArb: fc.Arbitrary<TimeRange> = fc.record({ min: fc.nat(), max: fc.nat() });

function corruptAt(fn: () => unknown): { offset: number; path: string } | string {
  try {
    fn();
    return "no error";
  } catch (err) {
    return err instanceof CorruptError ? { offset: err.offset, path: err.path } : String(err);
  }
}

describe("header", () => {
  test("property: round-trips any chunk ID up to the limit", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.nat(), (chunkId, createdAt) => {
        const bytes = encodeHeader({ chunkId, createdAt });
        expect(decodeHeader(P, bytes)).toEqual({ header: { chunkId, createdAt }, version: SEGMENT_VERSION, end: bytes.length });
      }),
      { numRuns: 200 },
    );
  });

  test("rejects an over-long chunk ID when writing", () => {
    expect(() => encodeHeader({ chunkId: "x".repeat(MAX_CHUNK_ID_BYTES + 1), createdAt: 0 })).toThrow(LogError);
  });

  const good = encodeHeader({ chunkId: "abc", createdAt: 42 });
  test.each([
    { name: "bad magic", at: 0, value: 0x00, offset: 0 },
    { name: "unknown version", at: 4, value: 3, offset: 4 },
    { name: "unknown flags", at: 6, value: 1, offset: 6 },
    { name: "ID length beyond limit", at: 16, value: 200, offset: 16 },
    { name: "damaged createdAt", at: 9, value: 0x55, offset: 21 },
  ])("rejects $name at offset $offset", ({ at, value, offset }) => {
    const b = good.slice();
    b[at] = value;
    expect(corruptAt(() => decodeHeader(P, b))).toEqual({ offset, path: P });
  });
});

describe("footer", () => {
  const file = (dirOffset: number, dirLength: number, size: number) => {
    const f = new Uint8Array(size);
    f.set(encodeFooter({ dirOffset, dirLength, dirCrc: 0xdeadbeef }), size - FOOTER_SIZE);
    return f;
  };

  const footer = (f: Uint8Array, version = SEGMENT_VERSION) => decodeFooter(P, f.subarray(f.length - FOOTER_SIZE), f.length, 50, version);

  test("round-trips", () => {
    expect(footer(file(100, 28, 160))).toEqual({ dirOffset: 100, dirLength: 28, dirCrc: 0xdeadbeef });
  });

  test("rejects a footer whose version differs from the header's", () => {
    expect(corruptAt(() => footer(file(100, 28, 160), 1))).toEqual({ offset: 144, path: P });
  });

  test.each([
    { name: "directory not ending at the footer", f: file(100, 20, 160), offset: 128 },
    { name: "directory overlapping the header", f: file(10, 118, 160), offset: 128 },
    { name: "bad magic", f: withByte(file(100, 28, 160), 159, 0), offset: 156 },
    { name: "damaged field", f: withByte(file(100, 28, 160), 130, 7), offset: 128 },
  ])("rejects $name", ({ f, offset }) => {
    expect(corruptAt(() => footer(f))).toEqual({ offset, path: P });
  });
});

describe("directory", () => {
  const dirArb: fc.Arbitrary<Directory> = fc
    .record({
      counts: fc.array(fc.integer({ min: 1, max: 1000 }), { maxLength: 6 }),
      lens: fc.array(fc.nat(500), { minLength: 6, maxLength: 6 }),
      names: fc.uniqueArray(fc.stringMatching(/^[ -~]{1,64}$/), { maxLength: 3 }),
      ranges: fc.array(rangeArb, { minLength: 3, maxLength: 3 }),
      codec: fc.constantFrom(...CODEC_NAMES),
      indexStatus: fc.constantFrom(...INDEX_STATUSES),
      rawBytes: fc.nat(),
    })
    .map(({ counts, lens, names, ranges, codec, indexStatus, rawBytes }) => {
      let offset = 30;
      let first = 0;
      const blocks = counts.map((count, i) => {
        const b = { offset, storedLen: lens[i]!, rawLen: lens[i]! * 2, first, count, writeTs: ranges[0]!, ingestTs: ranges[1]!, eventTs: ranges[2]!, codec: i % CODEC_NAMES.length, crc: i * 77 };
        offset += lens[i]!;
        first += count;
        return b;
      });
      const sections = names.map((name, i) => ({ name, offset: offset + i * 8, length: 8, crc: i }));
      const [writeTs, ingestTs, eventTs] = ranges as [TimeRange, TimeRange, TimeRange];
      return { records: first, rawBytes, codec, indexStatus, writeTs, ingestTs, eventTs, blocks, sections };
    });

  test("property: round-trips", () => {
    fc.assert(
      fc.property(dirArb, (d) => {
        const enc = encodeDirectory(d);
        const dataEnd = d.blocks.reduce((o, b) => o + b.storedLen, 30) + d.sections.length * 8;
        expect(decodeDirectory(P, enc, 30, dataEnd)).toEqual(d);
      }),
      { numRuns: 150 },
    );
  });

  const base: Directory = {
    records: 3, rawBytes: 10, codec: "zstd", indexStatus: "complete",
    writeTs: { min: 1, max: 2 }, ingestTs: { min: 1, max: 2 }, eventTs: { min: 1, max: 2 },
    blocks: [{ offset: 30, storedLen: 10, rawLen: 20, first: 0, count: 3, writeTs: { min: 1, max: 2 }, ingestTs: { min: 1, max: 2 }, eventTs: { min: 1, max: 2 }, codec: 1, crc: 5 }],
    sections: [{ name: "tok", offset: 40, length: 4, crc: 9 }],
  };
  const at = 44;
  const cases: { name: string; d: Directory; patch?: [number, number]; offset: number }[] = [
    { name: "record count mismatch", d: { ...base, records: 4 }, offset: at },
    { name: "block not at data start", d: { ...base, blocks: [{ ...base.blocks[0]!, offset: 31 }] }, offset: at + SUMMARY_SIZE },
    { name: "block with zero records", d: { ...base, records: 0, blocks: [{ ...base.blocks[0]!, count: 0 }] }, offset: at + SUMMARY_SIZE + 16 },
    { name: "section overlapping a block", d: { ...base, sections: [{ name: "tok", offset: 35, length: 4, crc: 9 }] }, offset: at + SUMMARY_SIZE + 80 + 4 },
    { name: "section past the directory", d: { ...base, sections: [{ name: "tok", offset: 42, length: 4, crc: 9 }] }, offset: at + SUMMARY_SIZE + 80 + 4 },
    { name: "duplicate section", d: { ...base, sections: [base.sections[0]!, { name: "tok", offset: 44, length: 0, crc: 0 }] }, offset: at + SUMMARY_SIZE + 80 + 24 + 4 },
    { name: "unknown codec", d: base, patch: [at + 12, 9], offset: at + 12 },
    { name: "unknown index status", d: base, patch: [at + 13, 9], offset: at + 13 },
    { name: "non-ASCII section name", d: base, patch: [at + SUMMARY_SIZE + 80 + 1, 0xc3], offset: at + SUMMARY_SIZE + 80 + 1 },
  ];
  test.each(cases)("rejects $name", ({ d, patch, offset }) => {
    const enc = encodeDirectory(d);
    if (patch) enc[patch[0] - at] = patch[1];
    expect(corruptAt(() => decodeDirectory(P, enc, 30, at))).toEqual({ offset, path: P });
  });

  test("rejects trailing bytes", () => {
    const enc = encodeDirectory({ ...base, sections: [] });
    const dir = new Uint8Array(enc.length + 3);
    dir.set(enc);
    expect(corruptAt(() => decodeDirectory(P, dir, 30, at))).toEqual({ offset: at + enc.length, path: P });
  });
});

function withByte(b: Uint8Array, i: number, v: number): Uint8Array {
  const c = b.slice();
  c[i] = v;
  return c;
}
