/**
 * The naive single-thread reference of the import bench (issue 19), run as a child:
 * `bun bench/import-naive.ts FILE OUT_DIR`. It frames lines, hashes each line's tokens
 * (runs of [A-Za-z0-9_-], lowercased, each once per line) into per-chunk postings
 * (Map hash -> id, (id, line) pairs in one typed array, counting-sorted at the chunk's end),
 * compresses 1 MiB raw blocks with zstd -3, and per 32 MiB chunk writes blocks + sorted
 * delta-varint postings and fsyncs. Issue 19's targets are measured against it (bench only). No timestamps, no attributes,
 * no crash safety beyond that fsync: the floor a real store is compared against.
 */

import { closeSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";

const READ = 4 << 20;
const BLOCK = 1 << 20;
const CHUNK = 32 << 20;

const LOWER = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) LOWER[c] = c;
for (let c = 0x61; c <= 0x7a; c++) LOWER[c] = LOWER[c - 0x20] = c;
LOWER[0x5f] = 0x5f;
LOWER[0x2d] = 0x2d;

class Chunk {
  /** Token hash -> dense id for this chunk. */
  ids = new Map<number, number>();
  /** Line of the last occurrence of each id (de-duplicates within a line). */
  lastLine = new Int32Array(1 << 16).fill(-1);
  /** (id, line) occurrence pairs, in line order. */
  occ = new Uint32Array(1 << 20);
  occLen = 0;
  block = new Uint8Array(BLOCK + (1 << 16));
  blockLen = 0;
  raw = 0;
  stored = 0;

  constructor(private readonly fd: number) {}

  line(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    let h = 0x811c9dc5;
    let len = 0;
    for (let i = start; i <= end; i++) {
      const c = i < end ? LOWER[buf[i]!]! : 0;
      if (c !== 0) {
        h = Math.imul(h ^ c, 0x01000193);
        len++;
        continue;
      }
      if (len > 0) this.occur(h >>> 0, lineNo);
      h = 0x811c9dc5;
      len = 0;
    }
    const n = end - start + 1;
    if (this.blockLen + n > this.block.length) this.flushBlock();
    this.block.set(buf.subarray(start, end), this.blockLen);
    this.block[this.blockLen + n - 1] = 10;
    this.blockLen += n;
    this.raw += n;
    if (this.blockLen >= BLOCK) this.flushBlock();
  }

  private occur(key: number, lineNo: number): void {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
      if (id === this.lastLine.length) {
        const next = new Int32Array(id * 2).fill(-1);
        next.set(this.lastLine);
        this.lastLine = next;
      }
    }
    if (this.lastLine[id] === lineNo) return;
    this.lastLine[id] = lineNo;
    if (this.occLen + 2 > this.occ.length) {
      const next = new Uint32Array(this.occ.length * 2);
      next.set(this.occ);
      this.occ = next;
    }
    this.occ[this.occLen++] = id;
    this.occ[this.occLen++] = lineNo;
  }

  flushBlock(): void {
    if (this.blockLen === 0) return;
    this.put(Bun.zstdCompressSync(this.block.subarray(0, this.blockLen), { level: 3 }));
    this.blockLen = 0;
  }

  /** Writes the remaining block and the postings (hash order, delta varint), fsyncs, starts afresh. */
  seal(): void {
    this.flushBlock();
    const terms = this.ids.size;
    const starts = new Uint32Array(terms + 1);
    for (let k = 0; k < this.occLen; k += 2) starts[this.occ[k]! + 1]++;
    for (let t = 0; t < terms; t++) starts[t + 1] += starts[t]!;
    const lines = new Uint32Array(this.occLen / 2);
    const fill = starts.slice(0, terms);
    for (let k = 0; k < this.occLen; k += 2) lines[fill[this.occ[k]!]!++] = this.occ[k + 1]!;
    const keys = [...this.ids.keys()].sort((a, b) => a - b);
    const out = new Uint8Array(1 << 20);
    let o = 0;
    const varint = (v: number): void => {
      if (o + 10 > out.length) {
        this.put(out.subarray(0, o));
        o = 0;
      }
      while (v >= 0x80) {
        out[o++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      out[o++] = v;
    };
    for (const k of keys) {
      const id = this.ids.get(k)!;
      varint(k);
      varint(starts[id + 1]! - starts[id]!);
      let prev = 0;
      for (let j = starts[id]!; j < starts[id + 1]!; j++) {
        varint(lines[j]! - prev);
        prev = lines[j]!;
      }
    }
    this.put(out.subarray(0, o));
    fsyncSync(this.fd);
    this.ids = new Map();
    this.lastLine.fill(-1);
    this.occLen = 0;
    this.raw = 0;
  }

  private put(b: Uint8Array): void {
    let done = 0;
    while (done < b.length) done += writeSync(this.fd, b, done);
    this.stored += b.length;
  }
}

function main(file: string, outDir: string): void {
  const inFd = openSync(file, "r");
  const outFd = openSync(join(outDir, "naive.dat"), "w");
  const chunk = new Chunk(outFd);
  let buf = new Uint8Array(READ);
  let have = 0;
  let lines = 0;
  let lineInChunk = 0;
  for (;;) {
    const n = readSync(inFd, buf, have, buf.length - have, null);
    const end = have + n;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0 && nl < end; nl = buf.indexOf(10, start)) {
      chunk.line(buf, start, nl, lineInChunk++);
      lines++;
      start = nl + 1;
      if (chunk.raw >= CHUNK) {
        chunk.seal();
        lineInChunk = 0;
      }
    }
    if (n === 0) {
      if (start < end) {
        chunk.line(buf, start, end, lineInChunk++);
        lines++;
      }
      break;
    }
    const rest = end - start;
    if (rest === buf.length) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
    } else buf.copyWithin(0, start, end);
    have = rest;
  }
  chunk.seal();
  closeSync(inFd);
  closeSync(outFd);
  console.log(JSON.stringify({ lines, stored: chunk.stored }));
}

if (import.meta.main) main(process.argv[2]!, process.argv[3]!);
