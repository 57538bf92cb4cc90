/**
 * The compiled executable's `config` and `retention` commands on a data directory: change →
 * history → diff → rollback, export/apply round trip, invalid changes rejected with every
 * problem (exit 2, nothing stored), writes refused while another process holds the directory,
 * and `retention sweep` deleting sealed chunks of an imported store by policy.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireLock } from "../src/storage/file/lock.ts";
import { runBinary } from "./support/binary.ts";

let dir = "";
let data = "";
const env = { USER: "tester" };
const cfg = (...args: string[]) => runBinary(["config", "--data", data, ...args], { env });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cli-config-"));
  data = join(dir, "data");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gastrolog config / retention", () => {
  test("reading a directory that does not exist fails and creates nothing; a data directory without a config shows the defaults", async () => {
    const missing = await cfg("show");
    expect({ code: missing.code, said: missing.stderr.includes(`data directory ${data} does not exist`), created: existsSync(data) }).toEqual({ code: 1, said: true, created: false });
    mkdirSync(join(data, "stores"), { recursive: true }); // as an import into the default store leaves it
    const r = await cfg("show", "--output", "json");
    expect(r.code).toBe(0);
    expect(existsSync(join(data, "config.sqlite"))).toBe(false);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 0, config: { stores: [{ name: "default", route: "*", compression: { codec: "zstd", level: 6 } }], receivers: [] } });
    expect((await cfg("history")).stdout).toBe("no config versions yet (the defaults apply)\n");
  });

  test("change, history, diff and rollback", async () => {
    const set = await cfg("set", "stores[default].retention.maxAge=7d", "server.logLevel=debug", "--reason", "keep a week");
    expect(set.stderr).toBe("");
    expect(set.stdout).toMatch(/^version 1 · .* UTC · tester@\S+ · "keep a week"\n~ server\.logLevel: "info" -> "debug"\n~ stores\[default\]\.retention\.maxAge: "0" -> "7d"\n$/);
    const add = await cfg("set", 'stores[errors]={"type":"memory","route":"level=error"}', "--output", "json");
    expect(JSON.parse(add.stdout)).toMatchObject({ changed: true, version: 2, diff: [{ op: "added", path: "stores[errors]" }] });
    const same = await cfg("set", "server.logLevel=debug");
    expect(same.stdout).toBe("no change (config stays at version 2)\n");
    const back = await cfg("rollback", "1");
    expect(back.stdout).toMatch(/^version 3 · .* · rollback of 1 · "rollback to version 1"\n- stores\[errors\] \(was \{/);
    const hist = await cfg("history", "--output", "json");
    expect(JSON.parse(hist.stdout).map((v: { version: number; kind: string; author: string }) => [v.version, v.kind, v.author.split("@")[0]])).toEqual([
      [3, "rollback", "tester"],
      [2, "apply", "tester"],
      [1, "apply", "tester"],
    ]);
    const text = (await cfg("history")).stdout.split("\n");
    expect(text[0]).toMatch(/^VERSION {2}WHEN \(UTC\) {11}AUTHOR\s+KIND {8}CHANGES {2}REASON$/);
    expect(text[1]).toMatch(/^ {6}3 {2}\S+ \S+ {2}tester@\S+ {2}rollback→1 {2}1 {8}rollback to version 1$/);
    expect((await cfg("diff", "0", "1")).stdout).toBe('~ server.logLevel: "info" -> "debug"\n~ stores[default].retention.maxAge: "0" -> "7d"\n');
    expect((await cfg("diff", "1", "3")).stdout).toBe("no differences\n");
  });

  test("invalid changes list every problem, exit 2 and store nothing", async () => {
    const r = await cfg("set", 'stores[x]={"route":"error"}', "server.logLevel=loud", "stores[default].compression.codec=brotli");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "gastrolog config: invalid config (3 problems):\n" +
        '  $.server.logLevel: must be one of debug, info, warn, error, got "loud"\n' +
        '  $.stores[0].compression.codec: must be one of zstd, lz4, none, got "brotli"\n' +
        "  $.stores[1].route: invalid route \"error\": token predicates are not allowed in routes (found 'error'): routes see attributes only; use key=value, key=* or *=value\n",
    );
    expect((await cfg("rollback", "42")).stderr).toBe("gastrolog config: config version 42 does not exist (versions 0..3)\n");
    expect(JSON.parse((await cfg("show", "--output", "json")).stdout).version).toBe(3);
  });

  test("export and apply round trip; apply of the same file stores nothing; TOML works", async () => {
    const file = join(dir, "exported.json");
    expect((await cfg("export", file)).code).toBe(0);
    const exported = JSON.parse(readFileSync(file, "utf8"));
    expect(exported.server.logLevel).toBe("debug");
    expect((await cfg("apply", file)).stdout).toBe("no change (config stays at version 3)\n");
    const toml = join(dir, "c.toml");
    writeFileSync(toml, `[server]\nlogLevel = "warn"\n\n[[stores]]\nname = "default"\nroute = "*"\n[stores.retention]\nmaxAge = "7d"\n`);
    const r = await cfg("apply", toml);
    expect(r.stdout).toMatch(/^version 4 · .* · "applied .*c\.toml"\n~ server\.logLevel: "debug" -> "warn"\n$/);
  });

  test("writes are refused while another process holds the data directory; reads still work", async () => {
    const lock = acquireLock(data);
    try {
      const r = await cfg("set", "server.logLevel=info");
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`is locked by pid ${process.pid}`);
      expect(r.stderr).toContain("a running gastrolog owns");
      expect((await cfg("show")).code).toBe(0);
    } finally {
      lock.release();
    }
  });

  test("retention set, show and sweep on an imported store", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `2025-03-01T10:00:${String(i).padStart(2, "0")}Z line ${i}`).join("\n");
    for (let i = 0; i < 3; i++) {
      const imp = await runBinary(["import", "--data", data, "-q", "-"], { stdin: lines });
      expect(imp.code).toBe(0);
    }
    const set = await runBinary(["retention", "set", "--data", data, "default", "maxChunks=1", "maxBytes=1GB"], { env });
    expect(set.stdout).toContain('~ stores[default].retention.maxBytes: "0" -> "1GB"\n~ stores[default].retention.maxChunks: 0 -> 1\n');
    const show = await runBinary(["retention", "show", "--data", data]);
    expect(show.stdout).toBe("STORE    TYPE  MAX AGE  MAX BYTES  MAX CHUNKS\ndefault  file  7d       1GB        1\n(0 = no limit)\n");
    const sweep = await runBinary(["retention", "sweep", "--data", data, "--output", "json"]);
    expect(sweep.stderr).toBe("");
    const r = JSON.parse(sweep.stdout);
    expect(r.deleted.map((d: { store: string; reason: string }) => [d.store, d.reason])).toEqual([
      ["default", "chunks"],
      ["default", "chunks"],
    ]);
    const left = await runBinary(["query", "--data", data, "--output", "json", "line"]);
    expect(left.stdout.trim().split("\n")).toHaveLength(40);
    expect((await runBinary(["retention", "set", "--data", data, "nope", "maxAge=1d"])).stderr).toContain("no store 'nope' in the config (stores: default)");
  });
});
