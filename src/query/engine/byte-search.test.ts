/**
 * Byte-search planning over text files read in place: queries answered through
 * byteSearchIndexes (candidates from a raw byte search, checked by the scan) return exactly what
 * a plain scan of the same store returns, for tokens with anchors, substrings that are not whole
 * tokens, letters-only words mostly found inside longer tokens, case variants, OR/NOT and time
 * bounds, over lines that span read pieces.
 */

import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../storage/file/test-helpers.ts";
import { openTextFileStore } from "../../storage/textfile/text-store.ts";
import type { ChunkStore } from "../../storage/types.ts";
import { parseQueryArgs } from "../lang/controls.ts";
import { byteSearchIndexes } from "./byte-search.ts";
import { explain } from "./explain.ts";
import { search } from "./search.ts";
import type { SearchSource } from "./source.ts";

/** Leading "<seconds> " as event time. */
function leadingSeconds(buf: Uint8Array, start: number, end: number): number {
  let n = 0;
  let i = start;
  while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) n = n * 10 + buf[i++]! - 0x30;
  return i > start && i < end && buf[i] === 0x20 && n > 0 ? n * 1e6 : 0;
}

const QUERIES = ["rdd_10_1", "last", "LAST", "block", "exception", "ioexception", "Exception OR blk_77", "info NOT warn", "rdd_10_1 reverse=true limit=7", "last reverse=true", "RDD_10_1", "rdd_10_17", "x_10_1", "_10_1", "10.0.0.7", "rdd_10_1 OR blk_77", "rdd_10_1 NOT warn", "rdd_10_1 start=100 end=200", "warn", "blk_77 limit=2"];

/** Lines with block ids (some sharing the anchor inside longer tokens), times, levels and a long line. */
function content(): string {
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const id = i % 97 === 0 ? "rdd_10_1" : i % 89 === 0 ? "rdd_10_17" : i % 83 === 0 ? "xrdd_10_1" : `rdd_${i % 50}_${i % 7}`;
    const level = i % 5 === 0 ? "WARN" : "INFO";
    // A letters-only word mostly inside longer tokens (IOException, exceptions), now and then alone.
    const word = i % 7 === 0 ? (i % 3 === 0 ? "java.io.IOException:" : i % 3 === 1 ? "Exceptions" : "x-exception_y") : i % 1009 === 5 ? (i % 2 === 0 ? "EXCEPTION," : "exception") : "";
    lines.push(`${i % 11 === 0 ? "" : `${i} `}${level} block ${i % 13 === 0 ? id.toUpperCase() : id} from 10.0.0.${i % 9} ${i % 31 === 0 ? "blk_77" : ""}${word}`);
    // A line long enough to span the loader's 1 MiB read pieces now and then.
    if (i % 2500 === 1) lines.push(`${i} INFO ${"z".repeat(700_000)} rdd_10_1`);
  }
  return `${lines.join("\r\n")}\nlast rdd_10_1`;
}

/** Each hit as text, its chunk named by its place in the store (two stores of a file differ in chunk ids only). */
async function hits(src: SearchSource, q: string): Promise<string[]> {
  const out: string[] = [];
  const place = new Map(src.store.chunks().map((c, i) => [c.id, i]));
  for await (const h of search(src, { ...parseQueryArgs(q, 10_000_000_000), contextBefore: 0, contextAfter: 0 })) {
    const raw = new TextDecoder().decode(h.record.raw);
    out.push(`${place.get(h.ref.chunk)}:${h.ref.pos} ${h.record.sourceTs} ${raw.length > 80 ? raw.slice(-40) : raw}`);
  }
  return out;
}

// Small regions (many chunks), and one region read in several pieces.
test.each([300_000, 32 << 20])("queries planned by byte search return what a plain scan returns (regions of %d B)", async (regionBytes) => {
  using d = tempDir("gl-bytes-");
  const path = join(d.path, "app.log");
  writeFileSync(path, content());
  const store: ChunkStore = openTextFileStore("default", [path], { parseTimestamp: leadingSeconds, regionBytes });
  // A store of its own: its first searches read the file (counting it), later ones the loaded regions.
  const fresh: ChunkStore = openTextFileStore("default", [path], { parseTimestamp: leadingSeconds, regionBytes });
  const scanned: SearchSource = { name: "default", store, indexes: () => undefined };
  const searched: SearchSource = { name: "default", store: fresh, indexes: (view) => byteSearchIndexes(view) };
  const got: Record<string, string[]> = {};
  const want: Record<string, string[]> = {};
  for (const q of QUERIES) {
    want[q] = await hits(scanned, q);
    got[q] = await hits(searched, q);
  }
  expect(got).toEqual(want);
  expect(want["rdd_10_1"]!.length).toBeGreaterThan(60);
  expect(want["x_10_1"]).toEqual([]);
  // The word alone: hits, though most of its occurrences lie inside longer tokens.
  expect([want["exception"]!.length, want["ioexception"]!.length > 200]).toEqual([5, true]);
  // The byte search did plan the rare token: index-driven chunks, a few candidates each.
  const plan = await explain(searched, { ...parseQueryArgs("rdd_10_1", 10_000_000_000), contextBefore: 0, contextAfter: 0 });
  expect(plan.chunks.some((c) => c.scanMode === "index-driven")).toBe(true);
  // Each occurrence is checked where it lies: the candidates are exactly the hits.
  const place = new Map(fresh.chunks().map((c, i) => [c.id, i]));
  const driven = plan.chunks.filter((c) => c.scanMode === "index-driven");
  const hitsIn = (i: number) => want["rdd_10_1"]!.filter((h) => h.startsWith(`${i}:`)).length;
  expect(driven.map((c) => c.estimatedScan)).toEqual(driven.map((c) => hitsIn(place.get(c.chunk)!)));
  // The word is searched too (case folded) where it is rare enough per region: its candidates are its hits.
  const word = await explain(searched, { ...parseQueryArgs("exception", 10_000_000_000), contextBefore: 0, contextAfter: 0 });
  const wordDriven = word.chunks.filter((c) => c.scanMode === "index-driven");
  if (regionBytes < 1 << 20) expect(wordDriven.reduce((n, c) => n + c.estimatedScan, 0)).toBe(5);
  await store.close();
  await fresh.close();
});
