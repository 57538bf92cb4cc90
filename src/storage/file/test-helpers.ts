/**
 * Test helpers for file-store tests: disposable temp directories, deterministic records and
 * a store opener that collects recovery log lines, a sealer that fails on purpose. Test-only; nothing in src imports it.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChunkId } from "../../core/ids.ts";
import type { LogRecord, RecordInput } from "../../core/record.ts";
import type { ChunkStore } from "../types.ts";
import { readAll } from "../conformance.suite.ts";
import type { SealJob } from "./seal-job.ts";
import { InlineSealer, type Sealer } from "./sealer.ts";

/** A temp directory removed at the end of the `using` scope. */
export function tempDir(prefix = "gl-store-"): { path: string } & Disposable {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

const enc = new TextEncoder();

/** Record number `i`: payload `r<i>` padded, one attr, ingestTs = i + 1. */
export function numbered(i: number): RecordInput {
  return { raw: enc.encode(`r${i} `.padEnd(20 + (i % 50), "p")), attrs: { n: String(i % 7) }, ingestTs: i + 1, sourceTs: 0 };
}

/** Records of the given chunks (default: all, oldest first) without writeTs, for comparison. */
export function contents(s: ChunkStore, ids = s.chunks().map((m) => m.id)): Omit<LogRecord, "writeTs">[] {
  const out: Omit<LogRecord, "writeTs">[] = [];
  for (const id of ids) {
    const r = s.open(id);
    for (const { writeTs: _, ...rest } of readAll(r)) out.push(rest);
    r.close();
  }
  return out;
}

/** What `numbered(i)` reads back as. */
export function expected(from: number, to: number): Omit<LogRecord, "writeTs">[] {
  const out: Omit<LogRecord, "writeTs">[] = [];
  for (let i = from; i < to; i++) {
    const r = numbered(i);
    out.push({ raw: new Uint8Array(r.raw), attrs: { ...r.attrs }, sourceTs: r.sourceTs, ingestTs: r.ingestTs });
  }
  return out;
}

/** Fails the first `failures` seal jobs of each chunk (ENOSPC-like), then seals inline. */
export class FlakySealer implements Sealer {
  readonly attempts = new Map<ChunkId, number>();
  running = 0;
  maxRunning = 0;
  private readonly inner = new InlineSealer();

  constructor(private readonly failures: number) {}

  async seal(job: SealJob) {
    const n = (this.attempts.get(job.chunkId) ?? 0) + 1;
    this.attempts.set(job.chunkId, n);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await Promise.resolve();
      if (n <= this.failures) throw new Error(`ENOSPC: no space left on device (attempt ${n})`);
      return await this.inner.seal(job);
    } finally {
      this.running--;
    }
  }

  async close(): Promise<void> {}
}
