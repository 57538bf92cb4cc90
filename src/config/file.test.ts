/** Config files: JSON and TOML loading, apply-if-changed, and the file watcher. */

import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyFileIfChanged, loadConfigFile, watchConfigFile } from "./file.ts";
import { MemoryConfigStore } from "./memory-store.ts";
import type { ConfigVersion } from "./store.ts";

function tempDir(): { path: string } & Disposable {
  const path = mkdtempSync(join(tmpdir(), "gl-config-file-"));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

const JSON_TEXT = JSON.stringify({ server: { logLevel: "debug" }, stores: [{ name: "main", route: "*", retention: { maxAge: "7d" } }] });
const TOML_TEXT = `[server]\nlogLevel = "debug"\n\n[[stores]]\nname = "main"\nroute = "*"\n[stores.retention]\nmaxAge = "7d"\n`;

describe("config files", () => {
  test("JSON and TOML load to the same value; bad files are clear errors", () => {
    using d = tempDir();
    writeFileSync(join(d.path, "c.json"), JSON_TEXT);
    writeFileSync(join(d.path, "c.toml"), TOML_TEXT);
    writeFileSync(join(d.path, "bad.json"), "{ nope");
    expect(loadConfigFile(join(d.path, "c.toml"))).toEqual(loadConfigFile(join(d.path, "c.json")));
    expect(() => loadConfigFile(join(d.path, "bad.json"))).toThrow(`${join(d.path, "bad.json")}:1:3: not valid JSON: invalid symbol`);
    expect(() => loadConfigFile(join(d.path, "missing.json"))).toThrow(`cannot read config file ${join(d.path, "missing.json")}`);
  });

  test.each([
    ["trailing comma.json", '{\n  "server": {\n    "logLevel": "debug",\n  }\n}\n', "4:3: not valid JSON: property name expected"],
    ["missing brace.json", '{\n  "server": { "logLevel": "debug" }\n', "3:1: not valid JSON: close brace expected"],
    ["comment.json", '{\n  // no comments in JSON\n  "server": {}\n}\n', "2:3: not valid JSON: invalid comment token"],
    ["unterminated.toml", '[server]\nlogLevel = "debug\n', "2:18: not valid TOML: control characters are not allowed in strings"],
    ["duplicate.toml", '[server]\nlogLevel = "debug"\nlogLevel = "info"\n', "3:1: not valid TOML: "],
  ])("%s: the error says line and column", (name, text, where) => {
    using d = tempDir();
    const path = join(d.path, name);
    writeFileSync(path, text);
    let message = "";
    try {
      loadConfigFile(path);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.slice(0, path.length + 1 + where.length)).toBe(`${path}:${where}`);
  });

  test("applyFileIfChanged stores a version only when the normalized config differs", () => {
    using d = tempDir();
    const path = join(d.path, "c.json");
    writeFileSync(path, JSON_TEXT);
    const store = new MemoryConfigStore();
    const first = applyFileIfChanged(store, path, { author: "serve" });
    writeFileSync(path, JSON.stringify(JSON.parse(JSON_TEXT), null, 4)); // same content, other formatting
    const second = applyFileIfChanged(store, path, { author: "serve" });
    expect([first.changed, first.version.version, first.version.reason, second.changed, second.version.version]).toEqual([true, 1, `applied ${path}`, false, 1]);
  });

  test("watchConfigFile applies edits and reports invalid ones without changing the config", async () => {
    using d = tempDir();
    const path = join(d.path, "c.json");
    writeFileSync(path, JSON_TEXT);
    const store = new MemoryConfigStore();
    applyFileIfChanged(store, path, { author: "serve" });
    const errors: unknown[] = [];
    let applied!: (v: ConfigVersion) => void;
    const next = new Promise<ConfigVersion>((r) => (applied = r));
    let failed!: () => void;
    const invalid = new Promise<void>((r) => (failed = r));
    const stop = watchConfigFile(store, path, { author: "watch", pollMs: 20, onApplied: (v) => applied(v), onError: (e) => (errors.push(e), failed()) });
    try {
      writeFileSync(path, JSON_TEXT.replace('"7d"', '"soon"'));
      await invalid;
      expect(store.current().version).toBe(1);
      writeFileSync(path, JSON_TEXT.replace('"7d"', '"30d"'));
      const v = await next;
      expect([v.version, v.author, v.diff]).toEqual([2, "watch", [{ op: "changed", path: "stores[main].retention.maxAge", from: "7d", to: "30d" }]]);
      expect((errors[0] as Error).message).toContain("$.stores[0].retention.maxAge");
    } finally {
      stop();
    }
  });
});
