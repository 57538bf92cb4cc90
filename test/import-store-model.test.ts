/**
 * One store model for import, compiled binary (issue 10, item 4): an import into a store the
 * config lacks adds it as a config version (author "import"), so a server started later serves
 * it; while a server holds the data directory every import goes through it (any store, the
 * default one included) and its records are visible at once; a memory store takes no import
 * without a server.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gastrologBinary, runBinary } from "./support/binary.ts";
import { startServe, type ServeProc } from "./support/server.ts";

let dir = "";
const lines = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `2025-03-01T10:00:${String(i % 60).padStart(2, "0")}Z ${tag} line ${i}`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "import-model-"));
  writeFileSync(join(dir, "esc.log"), lines("esc", 30).join("\n") + "\n");
  writeFileSync(join(dir, "other.log"), lines("other", 20).join("\n") + "\n");
  writeFileSync(join(dir, "def.log"), lines("def", 10).join("\n") + "\n");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counted = 0;

/** Records a query returns (stdout to a file: what a pipe gets at exit is issue 9's business). */
async function count(args: string[]): Promise<{ code: number; n: number; err: string }> {
  const out = join(dir, `count-${++counted}.json`);
  const p = Bun.spawn([await gastrologBinary(), "query", ...args, "--output", "json", ""], { stdout: Bun.file(out), stderr: "pipe" });
  const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  return { code, n: readFileSync(out, "utf8").split("\n").filter(Boolean).length, err };
}

async function stop(srv: ServeProc): Promise<void> {
  srv.proc.kill("SIGTERM");
  expect(await srv.exited).toBe(0);
}

describe("import and the versioned config", () => {
  test("an import into a new store adds it to the config; a server started later serves it", async () => {
    const root = join(dir, "a");
    const data = join(root, "data");
    const r = await runBinary(["import", "-q", "--data", data, "--store", "esc", join(dir, "esc.log")]);
    expect({ code: r.code, err: r.stderr }).toEqual({ code: 0, err: "" });
    const history = JSON.parse((await runBinary(["config", "history", "--data", data, "--output", "json"])).stdout) as { version: number; author: string }[];
    expect(history.map((v) => [v.version, v.author])).toEqual([[1, "import"]]);
    const show = JSON.parse((await runBinary(["config", "show", "--data", data, "--output", "json"])).stdout) as { config: { stores: { name: string; route: string }[] } };
    expect(show.config.stores.map((s) => [s.name, s.route])).toEqual([
      ["default", "*"],
      ["esc", ""],
    ]);
    const srv = await startServe(root);
    try {
      expect(await count(["--data", data, "--store", "esc"])).toEqual({ code: 0, n: 30, err: "" });
      expect(await count(["--data", data, "--store", "*"])).toEqual({ code: 0, n: 30, err: "" });
    } finally {
      await stop(srv);
    }
  });

  test("while a server holds the data directory, imports into any store go through it and are visible at once", async () => {
    const root = join(dir, "b");
    const srv = await startServe(root);
    try {
      const other = await runBinary(["import", "--data", srv.dataDir, "--store", "other", join(dir, "other.log")]);
      const def = await runBinary(["import", "--data", srv.dataDir, join(dir, "def.log")]);
      expect([other, def].map((r) => ({ code: r.code, err: r.stderr, via: /store +\S+: via server pid \d+/.test(r.stdout) }))).toEqual([
        { code: 0, err: "", via: true },
        { code: 0, err: "", via: true },
      ]);
      expect(await count(["--data", srv.dataDir, "--store", "other"])).toEqual({ code: 0, n: 20, err: "" });
      expect(await count(["--data", srv.dataDir])).toEqual({ code: 0, n: 10, err: "" });
      const history = JSON.parse((await runBinary(["config", "history", "--data", srv.dataDir, "--output", "json"])).stdout) as { author: string; reason: string }[];
      expect(history.map((v) => [v.author, v.reason])).toEqual([["import", "import into new store other"]]);
    } finally {
      await stop(srv);
    }
    // Served records are on disk: the same queries without the server.
    expect(await count(["--data", srv.dataDir, "--store", "other"])).toEqual({ code: 0, n: 20, err: "" });
  });

  test("without a server, a memory store takes no import, and nothing is changed", async () => {
    const data = join(dir, "c", "data");
    expect((await runBinary(["config", "set", "--data", data, 'stores[mem]={"type":"memory","route":""}'])).code).toBe(0);
    const r = await runBinary(["import", "--data", data, "--store", "mem", join(dir, "def.log")]);
    expect({ code: r.code, msg: r.stderr.includes("store 'mem' is a memory store") }).toEqual({ code: 2, msg: true });
    const history = JSON.parse((await runBinary(["config", "history", "--data", data, "--output", "json"])).stdout) as unknown[];
    expect(history).toHaveLength(1);
  });
});
