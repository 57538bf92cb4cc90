/**
 * A catalog write that fails inside a chunk's commit cycle or at a rotation (another
 * connection holds the SQLite write lock: SQLITE_BUSY) is a warning, not a stuck store: the
 * appends resolve, their records are readable, a rotated chunk still seals, and later appends
 * commit as before.
 */

import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { join } from "node:path";
import { CATALOG_FILE } from "./format.ts";
import { openFileStore } from "./open-store.ts";
import { numbered, tempDir } from "./test-helpers.ts";

/** `p`, or "hung" when it has not settled after `ms` (a liveness check: the old code never settled). */
function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | "hung"> {
  return Promise.race([p, new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), ms))]);
}

test("appends resolve while the catalog is locked by another connection; the failed refresh is a warning", async () => {
  using tmp = tempDir();
  const warnings: string[] = [];
  const store = await openFileStore(tmp.path, { catalogRefreshMs: 0, logger: (level, msg) => void (level === "warn" && warnings.push(msg)) });
  try {
    await store.append([numbered(0)]);
    const other = new Database(join(tmp.path, CATALOG_FILE));
    other.exec("BEGIN IMMEDIATE");
    const during = await settledWithin(store.append([numbered(1), numbered(2)]), 10_000);
    other.exec("ROLLBACK");
    other.close();
    const after = await settledWithin(store.append([numbered(3)]), 10_000);
    const chunk = store.chunks()[0]!;
    const reader = store.open(chunk.id);
    const count = reader.count();
    reader.close();
    expect({ during: during === "hung" ? "hung" : during.length, after: after === "hung" ? "hung" : after.length, count }).toEqual({ during: 2, after: 1, count: 4 });
    expect(warnings.some((w) => w.includes("could not record chunk") && w.includes("catalog"))).toBe(true);
  } finally {
    await store.close();
  }
}, 30_000);

test("a rotation while the catalog is locked still seals the full chunk and starts the next", async () => {
  using tmp = tempDir();
  const warnings: string[] = [];
  const store = await openFileStore(tmp.path, { rotation: { maxRecords: 2 }, logger: (level, msg) => void (level === "warn" && warnings.push(msg)) });
  try {
    await store.append([numbered(0), numbered(1)]);
    const other = new Database(join(tmp.path, CATALOG_FILE));
    other.exec("BEGIN IMMEDIATE");
    const appended = await settledWithin(store.append([numbered(2)]).catch((e: Error) => e.message), 10_000);
    other.exec("ROLLBACK");
    other.close();
    await store.idle();
    const chunks = store.chunks().map((c) => ({ state: c.state, records: c.records }));
    expect({ appended: typeof appended === "string" ? appended : appended.length, chunks }).toEqual({
      appended: 1,
      chunks: [
        { state: "sealed", records: 2 },
        { state: "active", records: 1 },
      ],
    });
    expect(warnings.some((w) => w.includes("could not record chunk"))).toBe(true);
  } finally {
    await store.close();
  }
}, 30_000);
