/** Keeps GUIDE.md §3 true: no src/ module imports one it may not. */

import { expect, test } from "bun:test";
import { resolve } from "node:path";
import { checkDependencies, moduleOf } from "../scripts/check-deps.ts";

test("module names follow the layout", () => {
  expect(["main.ts", "core/ids.ts", "query/lang/parser.ts", "api/gen/x_pb.ts", "storage/file/store.ts"].map(moduleOf)).toEqual([
    "main",
    "core",
    "query/lang",
    "api/gen",
    "storage",
  ]);
});

test("no src/ module imports against the dependency direction", async () => {
  expect(await checkDependencies(resolve(import.meta.dir, ".."))).toEqual([]);
});

test("a forbidden import is reported", async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const root = mkdtempSync(resolve(tmpdir(), "deps-"));
  try {
    mkdirSync(resolve(root, "src/core"), { recursive: true });
    mkdirSync(resolve(root, "src/storage"), { recursive: true });
    writeFileSync(resolve(root, "src/core/a.ts"), 'import { b } from "../storage/b.ts";\nexport const a = b;\n');
    writeFileSync(resolve(root, "src/storage/b.ts"), 'import { x } from "../core/x.ts";\nexport const b = x;\n');
    expect(await checkDependencies(root)).toEqual([
      { file: "src/core/a.ts", imports: "../storage/b.ts", from: "core", to: "storage" },
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
