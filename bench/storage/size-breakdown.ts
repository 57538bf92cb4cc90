/**
 * Size breakdown of a file store's sealed segments, per raw byte: data blocks (stored, and each
 * block column — lengths, the three timestamps, attribute maps — and the payloads compressed
 * alone at zstd -3 to show their share), then each index section and its named indexes
 * (external lists, dictionary blocks stored and decoded, term counts). Usage:
 * `bun bench/storage/size-breakdown.ts <store dir>` (the directory holding `sealed/`, e.g.
 * bench/.data/stores/<key>/stores/default). Issue 19's size work reads it for the largest
 * contributors.
 */

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { skipVarints } from "../../src/core/bytes/varint.ts";
import { sectionVersion } from "../../src/index/format.ts";
import { blockAt, decodeHead } from "../../src/index/head.ts";
import { decompressBlockBody } from "../../src/storage/segment/codecs.ts";
import { BLOCK_HEADER_SIZE } from "../../src/storage/segment/block.ts";
import { SegmentFile } from "../../src/storage/segment/segment-file.ts";
import { SegmentReader } from "../../src/storage/segment/reader.ts";
import { skipTsColumn } from "../../src/storage/segment/ts-column.ts";

interface IndexBytes {
  lists: number;
  blocks: number;
  blockRaw: number;
  terms: number;
}

const totals = { raw: 0, file: 0, blocks: 0 };
const columns = new Map<string, number>();
const sections = new Map<string, number>();
const indexes = new Map<string, IndexBytes>();

function add(m: Map<string, number>, key: string, n: number): void {
  m.set(key, (m.get(key) ?? 0) + n);
}

/** Adds each column of one decoded block body, compressed alone at zstd -3. */
function addColumns(body: Uint8Array): void {
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const n = v.getUint32(0, true);
  const colsEnd = BLOCK_HEADER_SIZE + v.getUint32(8, true);
  const cuts: [string, number][] = [];
  let at = skipVarints(body, BLOCK_HEADER_SIZE, colsEnd, n);
  cuts.push(["lengths", at]);
  for (const [name, hasRef] of [["writeTs", false], ["ingestTs", true], ["sourceTs", true]] as const) {
    at = skipTsColumn(body, at, colsEnd, n, hasRef);
    cuts.push([name, at]);
  }
  cuts.push(["attribute maps", colsEnd], ["payloads", body.length]);
  let start = BLOCK_HEADER_SIZE;
  for (const [name, end] of cuts) {
    add(columns, name, Bun.zstdCompressSync(body.subarray(start, end), { level: 3 }).length);
    start = end;
  }
}

function addSections(r: SegmentReader): void {
  for (const s of r.sectionNames()) {
    const len = r.sectionLength(s)!;
    add(sections, s, len);
    const bytes = r.readSection(s, 0, len);
    if (sectionVersion(bytes) !== 2) continue;
    const head = decodeHead(bytes, len);
    for (const ix of head.indexes) {
      const key = `${s}/${ix.name}`;
      const e = indexes.get(key) ?? { lists: 0, blocks: 0, blockRaw: 0, terms: 0 };
      e.terms += ix.termCount;
      for (let k = 0; k < ix.blockCount; k++) {
        const b = blockAt(ix, k, head.dataLength);
        e.lists += b.listsLen;
        e.blocks += b.storedLen;
        e.blockRaw += b.rawLen;
      }
      indexes.set(key, e);
    }
  }
}

const dir = process.argv[2];
if (!dir) throw new Error("usage: bun bench/storage/size-breakdown.ts <store dir>");
const sealed = join(dir, "sealed");
for (const name of readdirSync(sealed).filter((n) => n.endsWith(".seg"))) {
  const r = SegmentReader.open(join(sealed, name));
  const f = SegmentFile.open(join(sealed, name));
  try {
    totals.raw += r.summary.rawBytes;
    totals.file += r.summary.storedBytes;
    for (const b of r.blocks()) {
      totals.blocks += b.storedLen;
      addColumns(decompressBlockBody(f.read(b.offset, b.storedLen), b.codec, b.rawLen));
    }
    addSections(r);
  } finally {
    f.close();
    r.close();
  }
}

const perRaw = (n: number): string => (n / totals.raw).toFixed(4);
const sectionBytes = [...sections.values()].reduce((a, b) => a + b, 0);
console.log(`raw ${totals.raw} B; segments ${perRaw(totals.file)} of raw: blocks ${perRaw(totals.blocks)}, index sections ${perRaw(sectionBytes)}, rest (headers, directory, padding) ${perRaw(totals.file - totals.blocks - sectionBytes)}`);
console.log("block columns, each compressed alone at zstd -3:");
for (const [name, n] of columns) console.log(`  ${name.padEnd(16)} ${perRaw(n)}`);
console.log("index sections:");
for (const [s, n] of [...sections].sort((a, b) => b[1] - a[1])) console.log(`  ${s.padEnd(16)} ${perRaw(n)}`);
console.log("named indexes (≥ 0.0005 of raw): external lists, dictionary blocks stored (decoded), terms:");
for (const [k, e] of [...indexes].sort((a, b) => b[1].lists + b[1].blocks - a[1].lists - a[1].blocks)) {
  if (e.lists + e.blocks < totals.raw * 0.0005) continue;
  console.log(`  ${k.padEnd(30)} lists ${perRaw(e.lists)}  blocks ${perRaw(e.blocks)} (${perRaw(e.blockRaw)})  terms ${e.terms}`);
}
