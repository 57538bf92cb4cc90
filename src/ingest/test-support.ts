/**
 * Helpers for ingest tests only: where the shared fixtures (../shared/fixtures beside the
 * checkout) and the project's own captures live, and a temp file store that cleans up.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openFileStore } from "../storage/file/open-store.ts";
import type { FileStore } from "../storage/file/file-store.ts";
import type { LogRecord } from "../core/record.ts";
import { ReceiverCounters } from "./pipeline/counters.ts";

const REPO = resolve(import.meta.dir, "../..");

/** Path of a file under ../shared/fixtures, or undefined when the shared tree is absent. */
export function sharedFixture(rel: string): string | undefined {
  const p = resolve(REPO, "../shared/fixtures", rel);
  return existsSync(p) ? p : undefined;
}

/** Bytes of a capture copied into test/fixtures/captures/. */
export function capture(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(REPO, "test/fixtures/captures", rel)));
}

/** A file store in a fresh temp dir; dispose closes it and removes the dir. */
export interface TempStore extends AsyncDisposable {
  store: FileStore;
  dir: string;
  /** Every record of every chunk, in order. */
  records(): LogRecord[];
}

export async function tempStore(prefix = "gastrolog-ingest-"): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = await openFileStore(dir, { name: "test" });
  return {
    store,
    dir,
    records() {
      const out: LogRecord[] = [];
      for (const meta of store.chunks()) {
        const r = store.open(meta.id);
        try {
          for (let i = 0; i < r.count(); i++) out.push(r.record(i));
        } finally {
          r.close();
        }
      }
      return out;
    },
    async [Symbol.asyncDispose]() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * fast-check runs for a decoder fuzz test: `n` by default; GASTROLOG_FUZZ_RUNS=N for a long
 * run (e.g. `GASTROLOG_FUZZ_RUNS=200000 FC_SEED=random bun test fuzz`).
 */
export function fuzzRuns(n: number): number {
  const env = Number(process.env.GASTROLOG_FUZZ_RUNS);
  return Number.isInteger(env) && env > 0 ? env : n;
}

/** What a protocol session did, for session tests: its drops, its writes, whether it ended. */
export interface SessionProbe {
  counters: ReceiverCounters;
  /** One "reason n: detail" per counted drop. */
  drops: string[];
  /** Bytes the session wrote to its peer, in order. */
  writes: Uint8Array[];
  /** The session's io (write and end). */
  io: { write(b: Uint8Array): void; end(): void };
  ended(): boolean;
}

/** Fresh counters and an io that records writes and the end of the connection. */
export function sessionProbe(): SessionProbe {
  const counters = new ReceiverCounters();
  const drops: string[] = [];
  counters.onDrop = (reason, n, _bytes, detail) => drops.push(`${reason} ${n}: ${detail}`);
  const writes: Uint8Array[] = [];
  let ended = false;
  return { counters, drops, writes, io: { write: (b) => writes.push(b.slice()), end: () => (ended = true) }, ended: () => ended };
}

/** `bytes` cut at the distinct positions `seeds` (mod length + 1) give, in order (fuzzing splits). */
export function cutAt(bytes: Uint8Array, seeds: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(seeds.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let prev = 0;
  for (const at of [...cuts, bytes.length]) {
    pieces.push(bytes.subarray(prev, at));
    prev = at;
  }
  return pieces;
}

const utf8 = new TextDecoder();
/** Raw payload as text. */
export function text(r: { raw: Uint8Array }): string {
  return utf8.decode(r.raw);
}

/**
 * Yields to the event loop until `pred()` holds; throws after `timeoutMs` (fsyncs on a busy CI
 * machine can take many event-loop turns, so the bound is time, not a turn count).
 */
export async function until(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (let turn = 0; performance.now() < deadline; turn++) {
    if (pred()) return;
    if (turn < 100) await new Promise((r) => setImmediate(r));
    else await Bun.sleep(1);
  }
  if (!pred()) throw new Error(`condition not reached within ${timeoutMs} ms`);
}
