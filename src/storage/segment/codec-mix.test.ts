/**
 * One file store whose sealed chunks use different codecs (the store's codec changed between
 * runs): every chunk reads back transparently through the store, and metadata and block
 * entries name each chunk's codec. (test/store-policies.test.ts searches such a store.)
 */

import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readAll } from "../conformance.suite.ts";
import { openFileStore } from "../file/open-store.ts";
import { SegmentReader } from "./reader.ts";
import { CODEC_NAMES } from "./format.ts";

const enc = new TextEncoder();

test("a store mixing zstd, lz4 and none chunks reads every record back", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gl-codec-mix-"));
  try {
    const want: string[] = [];
    for (const codec of ["zstd", "lz4", "none", "lz4"] as const) {
      const store = await openFileStore(dir, { codec, durability: { kind: "never" }, blockRawBytes: 2048 });
      const lines = Array.from({ length: 300 }, (_, i) => `${codec} record ${want.length + i} status=${200 + (i % 5)} path=/api/v1/items/${i % 17}`);
      await store.append(lines.map((l, i) => ({ raw: enc.encode(l), attrs: { codec, n: String(i % 3) }, sourceTs: 0, ingestTs: want.length + i + 1 })));
      await store.seal();
      want.push(...lines);
      await store.close();
    }
    const store = await openFileStore(dir, { durability: { kind: "never" } });
    try {
      const chunks = store.chunks();
      expect(chunks.map((c) => c.codec)).toEqual(["zstd", "lz4", "none", "lz4"]);
      const blockCodecs = chunks.map((c) => {
        const r = SegmentReader.open(join(dir, "sealed", `${c.id}.seg`));
        const names = [...new Set(r.blocks().map((b) => CODEC_NAMES[b.codec]))];
        r.close();
        return names;
      });
      expect(blockCodecs).toEqual([["zstd"], ["lz4"], ["none"], ["lz4"]]);
      const got = chunks.flatMap((c) => {
        const r = store.open(c.id);
        const lines = readAll(r).map((rec) => new TextDecoder().decode(rec.raw));
        r.close();
        return lines;
      });
      expect(got).toEqual(want);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
