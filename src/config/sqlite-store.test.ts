/**
 * The ConfigStore conformance suite against config.sqlite, plus what only a database has:
 * restart persistence (in the suite), a watch that sees a change made by another process,
 * migrations recorded in user_version, and refusal of a newer schema.
 */

import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configStoreConformance, sampleConfig } from "./conformance.suite.ts";
import { MIGRATIONS } from "./migrations.ts";
import { configDbPath, openSqliteConfigStore } from "./sqlite-store.ts";
import type { ConfigVersion } from "./store.ts";

let dir = "";
configStoreConformance("sqlite", {
  open(o) {
    dir = mkdtempSync(join(tmpdir(), "gl-config-"));
    return openSqliteConfigStore(configDbPath(dir), o);
  },
  reopen(store, o) {
    store.close();
    return openSqliteConfigStore(configDbPath(dir), o);
  },
  cleanup: () => rmSync(dir, { recursive: true, force: true }),
});

function tempDir(): { path: string } & Disposable {
  const path = mkdtempSync(join(tmpdir(), "gl-config-"));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

describe("sqlite config store", () => {
  test("watch fires for a version applied by another process", async () => {
    using d = tempDir();
    const path = configDbPath(d.path);
    const store = openSqliteConfigStore(path, { pollMs: 50 });
    try {
      const got = new Promise<ConfigVersion>((resolve) => store.watch(resolve));
      const child = Bun.spawn(["bun", join(import.meta.dir, "test-child.ts"), path, JSON.stringify(sampleConfig())], { stdout: "pipe", stderr: "pipe" });
      expect(await child.exited).toBe(0);
      const v = await got;
      expect({ version: v.version, author: v.author, reason: v.reason, config: v.config }).toEqual({ version: 1, author: "child", reason: `pid ${child.pid}`, config: sampleConfig() });
      expect(store.current().version).toBe(1);
    } finally {
      store.close();
    }
  });

  test("migrations set user_version; a newer schema is refused", () => {
    using d = tempDir();
    const path = configDbPath(d.path);
    openSqliteConfigStore(path).close();
    const db = new Database(path);
    expect(db.query("PRAGMA user_version").get()).toEqual({ user_version: MIGRATIONS.length });
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openSqliteConfigStore(path)).toThrow(`has config schema ${MIGRATIONS.length + 1}, newer than this gastrolog knows`);
  });
});
