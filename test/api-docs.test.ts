/** docs/api.md is generated from proto/ by scripts/gen-api-docs.ts: fail when it is stale. */

import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { apiReference } from "../scripts/gen-api-docs.ts";

test("docs/api.md matches proto/ (run `bun run gen` to update)", () => {
  expect(readFileSync(resolve(import.meta.dir, "../docs/api.md"), "utf8")).toBe(apiReference());
});

test("every service and RPC declared in the .proto files has its section", () => {
  const dir = resolve(import.meta.dir, "../proto/gastrolog/v1");
  const declared: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".proto"))) {
    let service = "";
    for (const line of readFileSync(resolve(dir, f), "utf8").split("\n")) {
      service = /^service (\w+)/.exec(line)?.[1] ?? service;
      const rpc = /^\s+rpc (\w+)\(/.exec(line)?.[1];
      declared.push(...(/^service /.test(line) ? [service] : rpc ? [`${service}.${rpc}`] : []));
    }
  }
  const documented = [...apiReference().matchAll(/^#{3,4} (\w+Service(?:\.\w+)?)$/gm)].map((m) => m[1]);
  expect(documented.sort()).toEqual(declared.sort());
});
