/**
 * ReadOnlyFileStore beside a live writer (a FileStore of this process holding the store): the
 * read side conformance suite, a snapshot that holds still while the writer appends, seals and
 * deletes, a torn tail that is simply not visible, the gap rule across a rotation, refused
 * writes, and nothing written in the store directory.
 */

import { afterEach, expect, test } from "bun:test";
import { appendFileSync, readdirSync, rmSync, statSync, truncateSync } from "node:fs";
import { dirname, join } from "node:path";
import { LogError } from "../../core/errors.ts";
import { fakeClock, rec, stored } from "../conformance.suite.ts";
import { chunkSourceConformance } from "../source-conformance.suite.ts";
import type { ChunkStore } from "../types.ts";
import { ACTIVE_DIR, ENTRIES_FILE, ENTRY_BYTES } from "./format.ts";
import { openFileStore } from "./open-store.ts";
import { openReadOnlyFileStore, type ReadOnlyFileStore } from "./read-only-store.ts";
import type { SealJob } from "./seal-job.ts";
import { InlineSealer, type Sealer } from "./sealer.ts";
import { contents, expected, numbered, tempDir } from "./test-helpers.ts";

const writer = { pid: process.pid, host: "test", startedAt: "2026-01-01T00:00:00Z" };
const readOnly = (dir: string): ReadOnlyFileStore => openReadOnlyFileStore(dir, { name: "default", writer });

chunkSourceConformance("read-only file store beside its writer", async () => {
  const tmp = tempDir();
  const closers: ChunkStore[] = [];
  return {
    async load(lines) {
      const s = await openFileStore(tmp.path, { clock: fakeClock(5_000_000).clock, rotation: { maxRecords: 120 }, blockRawBytes: 512 });
      closers.push(s);
      const inputs = lines.map((l, i) => rec(l, { n: String(i % 3) }, 1_000 + i, i % 4 === 0 ? 0 : 500 + i));
      await s.append(inputs);
      await s.idle();
      const ro = readOnly(tmp.path);
      closers.push(ro);
      return { source: ro, expected: inputs.map((i) => stored(i, 5_000_000)) };
    },
    async cleanup() {
      for (const s of closers.reverse()) await s.close();
      tmp[Symbol.dispose]();
    },
  };
});

/** Every file and directory under `dir` with size, mtime and inode (a created, removed or changed file shows). */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      out.push(`${p.slice(dir.length)} ${st.size} ${st.mtimeMs} ${st.ino}`);
      if (st.isDirectory()) walk(p);
    }
  };
  const st = statSync(dir);
  out.push(`. ${st.mtimeMs}`);
  walk(dir);
  return out;
}

/** Seals nothing until released: chunks stay "sealing" in active/. */
class HeldSealer implements Sealer {
  private readonly inner = new InlineSealer();
  private gate = Promise.withResolvers<void>();
  async seal(job: SealJob) {
    await this.gate.promise;
    return this.inner.seal(job);
  }
  release(): void {
    this.gate.resolve();
  }
  async close(): Promise<void> {}
}

const open: ChunkStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0).reverse()) await s.close();
});

test("a snapshot holds still while the writer appends, seals and deletes, and writes nothing", async () => {
  using tmp = tempDir();
  const w = await openFileStore(tmp.path, { rotation: { maxRecords: 100 } });
  open.push(w);
  await w.append(Array.from({ length: 250 }, (_, i) => numbered(i)));
  await w.idle();
  const before = listing(tmp.path);
  const ro = readOnly(tmp.path);
  open.push(ro);
  const unread = readOnly(tmp.path);
  open.push(unread);
  const metas = ro.chunks();
  expect({ states: metas.map((m) => m.state), records: contents(ro), unchanged: listing(tmp.path) }).toEqual({ states: ["sealed", "sealed", "active"], records: expected(0, 250), unchanged: before });
  // The writer goes on: the active chunk fills, seals (its files are removed) and the oldest is deleted.
  await w.append(Array.from({ length: 100 }, (_, i) => numbered(250 + i)));
  await w.idle();
  await w.delete(metas[0]!.id);
  expect(readdirSync(join(tmp.path, ACTIVE_DIR)).includes(metas[2]!.id)).toBe(false);
  // Read before: still read, from the open segment and the descriptors of the removed active files.
  expect({ metas: ro.chunks(), records: contents(ro) }).toEqual({ metas, records: expected(0, 250) });
  // Never opened before its deletion: a deleted chunk (not_found), which queries skip.
  expect(() => unread.open(metas[0]!.id)).toThrow(expect.objectContaining({ code: "not_found" }));
  expect(contents(unread, metas.slice(1).map((m) => m.id))).toEqual(expected(100, 250));
  // A new snapshot sees the chunks as they are now: each once.
  const again = readOnly(tmp.path);
  open.push(again);
  expect({ states: again.chunks().map((m) => m.state), records: contents(again) }).toEqual({ states: ["sealed", "sealed", "active"], records: expected(100, 350) });
});

test("a torn tail of the writer's active chunk is not visible, and is left as it is", async () => {
  using tmp = tempDir();
  const w = await openFileStore(tmp.path);
  open.push(w);
  const [ref] = await w.append([numbered(0), numbered(1), numbered(2)]);
  const entries = join(tmp.path, ACTIVE_DIR, ref!.chunk, ENTRIES_FILE);
  // Half an entry, and a whole one pointing past the data: an append caught mid-write.
  appendFileSync(entries, new Uint8Array(ENTRY_BYTES + ENTRY_BYTES / 2).fill(0x11));
  const size = statSync(entries).size;
  const ro = readOnly(tmp.path);
  open.push(ro);
  expect({ records: contents(ro), size: statSync(entries).size }).toEqual({ records: expected(0, 3), size });
});

test("chunks after an unsealed one still missing records it was rotated with are left out", async () => {
  using tmp = tempDir();
  const sealer = new HeldSealer();
  const w = await openFileStore(tmp.path, { rotation: { maxRecords: 10 }, sealer });
  open.push(w);
  await w.append(Array.from({ length: 25 }, (_, i) => numbered(i)));
  const ids = w.chunks().map((m) => m.id);
  const whole = readOnly(tmp.path);
  open.push(whole);
  // The first chunk's last entry not written yet, as when one append commits across a rotation.
  const first = join(tmp.path, ACTIVE_DIR, ids[0]!, ENTRIES_FILE);
  truncateSync(first, statSync(first).size - ENTRY_BYTES);
  const cut = readOnly(tmp.path);
  open.push(cut);
  try {
    expect({ whole: contents(whole), cut: contents(cut), ids: cut.chunks().map((m) => m.id) }).toEqual({ whole: expected(0, 25), cut: expected(0, 9), ids: ids.slice(0, 1) });
  } finally {
    rmSync(dirname(first), { recursive: true }); // the damage is the test's: the writer's seal of it may fail
    sealer.release();
  }
});

test("appends, seals and deletes are refused, naming the writer", async () => {
  using tmp = tempDir();
  const w = await openFileStore(tmp.path);
  open.push(w);
  await w.append([numbered(0)]);
  await w.seal();
  const ro = readOnly(tmp.path);
  open.push(ro);
  const refused = async (p: Promise<unknown>) => p.then(() => "done", (err: unknown) => (err instanceof LogError ? `${err.code}: ${err.message}` : String(err)));
  expect([await refused(ro.append([numbered(1)])), await refused(ro.seal()), await refused(ro.delete(ro.chunks()[0]!.id))]).toEqual(
    ["appending", "sealing", "deleting chunks"].map((what) => `permission_denied: store default is read here while pid ${process.pid} on test writes it: ${what} is not possible`),
  );
});
