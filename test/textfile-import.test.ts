/**
 * The text file store (files read in place) yields the records the importer would store for
 * the same files: raw bytes, attrs (incl. _truncated) and sourceTs with continuation lines,
 * over CRLF, empty lines, binary lines, a missing final newline and small regions.
 */

import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { MAX_RAW_BYTES } from "../src/core/limits.ts";
import { importTimestampContext } from "../src/ingest/import/defaults.ts";
import { importFiles } from "../src/ingest/import/import-files.ts";
import { parseLeadingTimestamp } from "../src/ingest/parse/timestamp.ts";
import { createMemoryStore } from "../src/storage/memory/memory-store.ts";
import { recordAt } from "../src/storage/record-batch.ts";
import { openTextFileStore } from "../src/storage/textfile/text-store.ts";
import type { ChunkStore } from "../src/storage/types.ts";

const NOW = Date.UTC(2024, 5, 1) * 1000;

function tempDir(): { path: string } & Disposable {
  const path = mkdtempSync(join(tmpdir(), "gl-textimport-"));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

/** raw as latin1, attrs, sourceTs of every record, oldest chunk first. */
function records(s: ChunkStore): [string, Record<string, string>, number][] {
  const out: [string, Record<string, string>, number][] = [];
  for (const m of s.chunks()) {
    const r = s.open(m.id);
    for (const b of r.batches(0, r.count())) {
      for (let i = 0; i < b.count; i++) {
        const rec = recordAt(b, i);
        out.push([Buffer.from(rec.raw).toString("latin1"), { ...rec.attrs }, rec.sourceTs]);
      }
    }
    r.close();
  }
  return out;
}

async function both(files: string[], regionBytes: number): Promise<{ imported: ReturnType<typeof records>; inPlace: ReturnType<typeof records> }> {
  const mem = createMemoryStore("m");
  await importFiles(mem, files, { storeBatch: 3, clock: () => NOW, year: 2024 });
  const ctx = importTimestampContext(NOW, { year: 2024 });
  const text = openTextFileStore("t", files, { clock: () => NOW, regionBytes, parseTimestamp: (b, s, e) => parseLeadingTimestamp(b, s, e, ctx) });
  const out = { imported: records(mem), inPlace: records(text) };
  await mem.close();
  await text.close();
  return out;
}

const LINES = [
  "2024-03-01T00:00:00.088Z level=info msg=ok",
  "95.96.239.219 - - [01/Mar/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 2940",
  "24/03/01 00:00:05 INFO storage.BlockManager: Found block rdd_10_1 locally",
  "Mar  1 00:00:09 web-3 sshd[43198]: Failed password",
  "\tat com.example.Foo.bar(Foo.java:42)",
  "",
  "caused by: nothing \u0000 binary \u00ff",
  "{\"ts\":\"2024-03-01T00:00:10.000Z\",\"level\":\"warn\"}",
];

test("a mixed file with CRLF, blanks, binary, a long line and no final newline reads as imported", async () => {
  using d = tempDir();
  const a = join(d.path, "mixed.log");
  const body = LINES.join("\r\n") + "\n" + `2024-03-01 00:01:00 ${"y".repeat(MAX_RAW_BYTES)}\n` + LINES.join("\n");
  writeFileSync(a, Buffer.from(body, "latin1"));
  const b = join(d.path, "second.log");
  writeFileSync(b, "continuation first\n2024-03-02T00:00:00Z x\r\n\r\n");
  for (const regionBytes of [40, 1 << 20]) {
    const { imported, inPlace } = await both([a, b], regionBytes);
    expect(imported.length).toBe(2 * LINES.length + 1 + 3);
    expect(inPlace).toEqual(imported);
  }
});

test("random line mixes read in place as imported", async () => {
  using d = tempDir();
  const line = fc.tuple(fc.constantFrom(...LINES), fc.constantFrom("\n", "\r\n", "\r\r\n"));
  await fc.assert(
    fc.asyncProperty(fc.array(line, { maxLength: 60 }), fc.boolean(), fc.integer({ min: 1, max: 300 }), async (parts, cutLast, regionBytes) => {
      let body = parts.map(([l, t]) => l + t).join("");
      if (cutLast) body = body.replace(/\r?\n$/, "");
      const f = join(d.path, "r.log");
      writeFileSync(f, Buffer.from(body, "latin1"));
      const { imported, inPlace } = await both([f], regionBytes);
      expect(inPlace).toEqual(imported);
    }),
    { numRuns: 40 },
  );
});
