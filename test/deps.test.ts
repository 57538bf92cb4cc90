/** Keeps GUIDE.md §3 true: no src/ module imports one it may not. */

import { expect, test } from "bun:test";
import { resolve } from "node:path";
import { checkDependencies, moduleOf, subModuleOf } from "../scripts/check-deps.ts";

test("module names follow the layout", () => {
  expect(["main.ts", "core/ids.ts", "query/lang/parser.ts", "api/gen/x_pb.ts", "storage/file/store.ts"].map(moduleOf)).toEqual([
    "main",
    "core",
    "query/lang",
    "api/gen",
    "storage",
  ]);
});

test("sub-modules of storage and ingest are private unless named", () => {
  expect(
    [
      ["storage/segment/batch.ts", "storage"],
      ["storage/types.ts", "storage"],
      ["ingest/route/router.ts", "ingest"],
      ["core/bytes/varint.ts", "core"],
      ["api/gen/gastrolog/v1/query_pb.ts", "api/gen"],
    ].map(([path, module]) => subModuleOf(path!, module!)),
  ).toEqual(["storage/segment", undefined, "ingest/route", undefined, undefined]);
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
    mkdirSync(resolve(root, "src/storage/segment"), { recursive: true });
    mkdirSync(resolve(root, "src/query/engine"), { recursive: true });
    mkdirSync(resolve(root, "src/index"), { recursive: true });
    writeFileSync(resolve(root, "src/index/types.ts"), "export type T = number;\n");
    writeFileSync(resolve(root, "src/index/open.ts"), "export const open = 1;\n");
    writeFileSync(resolve(root, "src/query/engine/e.ts"), 'import type { T } from "../../index/types.ts";\nimport { open } from "../../index/open.ts";\nexport const e: T = open;\n');
    writeFileSync(resolve(root, "src/storage/segment/c.ts"), "export const c = 1;\n");
    writeFileSync(resolve(root, "src/query/engine/d.ts"), 'import { c } from "../../storage/segment/c.ts";\nimport { b } from "../../storage/b.ts";\nexport const d = b + c;\n');
    writeFileSync(resolve(root, "src/query/engine/d.test.ts"), 'import { c } from "../../storage/segment/c.ts";\nexport const e = c;\n');
    expect(await checkDependencies(root)).toEqual([
      { file: "src/core/a.ts", imports: "../storage/b.ts", from: "core", to: "storage" },
      { file: "src/query/engine/d.ts", imports: "../../storage/segment/c.ts", from: "query/engine", to: "storage/segment" },
      { file: "src/query/engine/e.ts", imports: "../../index/open.ts", from: "query/engine", to: "index/open.ts" },
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
