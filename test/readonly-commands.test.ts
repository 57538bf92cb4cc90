/**
 * Read-only commands never create anything, compiled binary (issue 10, item 5): a data
 * directory or store that does not exist is an error (exit 1) naming what does exist, for
 * every command that only reads; a configured store that never stored a record reads as empty.
 * (`repl --embedded --data` runs the directory's engine like serve and may create it.)
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBinary } from "./support/binary.ts";

let dir = "";
let data = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "readonly-"));
  data = join(dir, "data");
  writeFileSync(join(dir, "app.log"), "2025-03-01T10:00:00Z sshd error one\n2025-03-01T10:00:01Z ok two\n");
  expect((await runBinary(["import", "-q", "--data", data, join(dir, "app.log")])).code).toBe(0);
  expect((await runBinary(["config", "set", "--data", data, 'stores[quiet]={"type":"file","route":""}', 'stores[mem]={"type":"memory","route":""}'])).code).toBe(0);
  mkdirSync(join(dir, "plain"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every command that only reads, against data directory `d` (and store `s` where it applies). */
const READERS: [string, (d: string, s: string) => string[]][] = [
  ["query", (d, s) => ["query", "--data", d, "--store", s, "sshd"]],
  ["query --explain", (d, s) => ["query", "--data", d, "--store", s, "--explain", "sshd"]],
  ["query --analyze", (d, s) => ["query", "--data", d, "--store", s, "--analyze", "sshd"]],
  ["config show", (d) => ["config", "show", "--data", d]],
  ["config history", (d) => ["config", "history", "--data", d]],
  ["config diff", (d) => ["config", "diff", "0", "--data", d]],
  ["config export", (d) => ["config", "export", "--data", d]],
  ["retention show", (d) => ["retention", "show", "--data", d]],
  ["retention sweep", (d) => ["retention", "sweep", "--data", d]],
  ["repl --data (client)", (d) => ["repl", "--data", d, "-c", "stats"]],
];

function tree(path: string): string[] {
  return existsSync(path) ? readdirSync(path, { recursive: true }).map(String).sort() : [];
}

describe("a data directory that does not exist", () => {
  test.each(READERS)("%s: exit 1, says so, creates nothing", async (name, argv) => {
    const missing = join(dir, `nonexistent-${name.replace(/\W+/g, "-")}`);
    const r = await runBinary(argv(missing, "default"));
    expect({ code: r.code, said: /does not exist|no GastroLog server at/.test(r.stderr), created: existsSync(missing) }).toEqual({ code: 1, said: true, created: false });
  });

  test("the message names the default data directory when that one exists", async () => {
    const r = await runBinary(["query", "--data", join(dir, "typo"), "sshd"], { env: { GASTROLOG_DATA: data } });
    expect({ code: r.code, err: r.stderr }).toEqual({
      code: 1,
      err: `gastrolog query: data directory ${join(dir, "typo")} does not exist; the default data directory ${data} exists (stores: default, mem, quiet); --data or $GASTROLOG_DATA choose one\n`,
    });
  });

  test("a directory GastroLog never wrote is not taken for a data directory", async () => {
    const plain = join(dir, "plain");
    const r = await runBinary(["query", "--data", plain, "sshd"], { env: { GASTROLOG_DATA: join(dir, "none") } });
    expect({ code: r.code, said: r.stderr.includes(`${plain} is not a GastroLog data directory`), tree: tree(plain) }).toEqual({ code: 1, said: true, tree: [] });
  });
});

describe("a store that does not exist", () => {
  const queries: typeof READERS = [
    ...READERS.filter(([name]) => name.startsWith("query")),
    ["repl --embedded --data", (d, s) => ["repl", "--embedded", "--data", d, "--store", s, "-c", "query sshd"]],
  ];

  test.each(queries)("%s: exit 1, names the stores, creates no store", async (_name, argv) => {
    const r = await runBinary(argv(data, "nope"));
    expect({ code: r.code, named: /unknown store 'nope'; stores: default, mem, quiet/.test(r.stderr + r.stdout), created: existsSync(join(data, "stores", "nope")) }).toEqual({
      code: 1,
      named: true,
      created: false,
    });
  });

  test("a configured store that never stored a record reads as empty, and stays without a directory", async () => {
    const fresh = join(dir, "fresh");
    expect((await runBinary(["config", "set", "--data", fresh, 'stores[quiet]={"type":"file","route":""}'])).code).toBe(0);
    const before = tree(fresh);
    const r = await runBinary(["query", "--data", fresh, "--store", "quiet", ""]);
    expect({ code: r.code, out: r.stdout, err: r.stderr, tree: tree(fresh) }).toEqual({ code: 0, out: "", err: "", tree: before });
  });

  test("a memory store has no records without a server", async () => {
    const r = await runBinary(["query", "--data", data, "--store", "mem", ""]);
    expect({ code: r.code, said: r.stderr.includes("store 'mem' is a memory store") }).toEqual({ code: 1, said: true });
  });
});
