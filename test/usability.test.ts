/**
 * First-day usability through the compiled binary (issue 10, item 12): --reverse is documented
 * as storage order; `follow` on files imported at start says so; a REPL whose server went away
 * says "server at ... is not reachable"; removing the last store needs --force; one bad
 * receiver URL is one problem; config file parse errors give line and column; `retention
 * sweep` names the stores it swept.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "./support/until.ts";
import { gastrologBinary, runBinary } from "./support/binary.ts";
import { startServe } from "./support/server.ts";

let dir = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "usability-"));
  writeFileSync(join(dir, "app.log"), "2025-03-01T10:00:00Z INFO one\n2025-03-01T10:00:01Z ERROR two\n");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Spawns the binary with piped stdio and collects stdout+stderr as they come. */
async function spawnCollecting(args: string[]) {
  const p = Bun.spawn([await gastrologBinary(), ...args], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  let text = "";
  const dec = new TextDecoder();
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const c of s) text += dec.decode(c, { stream: true });
  };
  const done = Promise.all([pump(p.stdout), pump(p.stderr)]);
  return { p, done, text: () => text };
}

test("query --help says --reverse is storage order, not event time", async () => {
  const r = await runBinary(["query", "--help"]);
  const line = r.stdout.split("\n").find((l) => /^\s+-r, --reverse/.test(l));
  expect(line).toContain("Reverse storage order: the last stored record first (chunk by chunk, not sorted by event time).");
});

test("follow on files imported at start says they were imported at start", async () => {
  const repl = await spawnCollecting(["repl", "--embedded", "--index", join(dir, "app.log"), "-c", "follow"]);
  await until(() => repl.text().includes("app.log was imported when the REPL started"), { what: "the follow note", timeoutMs: 30_000 });
  repl.p.kill("SIGINT");
  await repl.done;
  expect(repl.text()).toContain(`note: ${join(dir, "app.log")} was imported when the REPL started: lines written to it since are not shown`);
});

test("a REPL whose server went away says the server is not reachable", async () => {
  const srv = await startServe(join(dir, "srv"));
  const repl = await spawnCollecting(["repl", srv.socket]);
  repl.p.stdin.write("stats\n");
  await repl.p.stdin.flush();
  await until(() => repl.text().includes("Stores:"), { what: "the stats output", timeoutMs: 30_000 });
  srv.proc.kill("SIGTERM");
  expect(await srv.exited).toBe(0);
  repl.p.stdin.write("stats\nquery x\n");
  repl.p.stdin.end();
  await repl.done;
  const after = repl.text().slice(repl.text().indexOf("Receivers:"));
  expect({
    reachable: after.match(/[Ss]erver at unix:\S+ is not reachable/g)?.length,
    raw: /^(Connect )?ENOENT|^connect ENOENT/m.test(after),
    code: await repl.p.exited,
  }).toEqual({ reachable: 2, raw: false, code: 1 });
});

describe("config", () => {
  test("removing the last store asks for --force", async () => {
    const data = join(dir, "last");
    const r = await runBinary(["config", "set", "--data", data, "stores[default]=null"]);
    expect({ code: r.code, force: r.stderr.includes("removes the last store (default)") && r.stderr.includes("--force") }).toEqual({ code: 2, force: true });
    expect((await runBinary(["config", "set", "--data", data, "stores[default]=null", "--force"])).code).toBe(0);
  });

  test.each([
    ["udp://1.2.3.4", "URL needs a host and a port"],
    ["bogus://1.2.3.4:5", "scheme must be one of"],
    ["udp//1.2.3.4:5", "not a URL"],
  ])("one bad receiver URL (%s) is one problem", async (url, message) => {
    const r = await runBinary(["config", "set", "--data", join(dir, "rx"), `receivers[x]={"type":"syslog","listen":["${url}"]}`]);
    expect({ code: r.code, first: r.stderr.split("\n")[0], second: r.stderr.split("\n")[1]?.includes(message) }).toEqual({ code: 2, first: "gastrolog config: invalid config (1 problem):", second: true });
  });

  test.each([
    ["bad.json", '{\n  "server": {\n    "logLevel": "debug",\n  }\n}\n', "4:3: not valid JSON: property name expected"],
    ["bad.toml", '[server]\nlogLevel = "debug\n', "2:18: not valid TOML: control characters are not allowed in strings"],
  ])("%s: the parse error gives line and column", async (name, text, where) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    const r = await runBinary(["config", "apply", "--data", join(dir, "cfg"), file]);
    expect({ code: r.code, err: r.stderr }).toEqual({ code: 2, err: `gastrolog config: ${file}:${where}\n` });
  });

  test("retention sweep names the stores it swept, locally and through a server", async () => {
    const data = join(dir, "sweep", "data");
    expect((await runBinary(["import", "-q", "--data", data, "--store", "web", join(dir, "app.log")])).code).toBe(0);
    const local = await runBinary(["retention", "sweep", "--data", data]);
    expect({ code: local.code, swept: local.stdout.startsWith("swept 1 store(s) (web): 0 chunk(s) deleted at ") }).toEqual({ code: 0, swept: true });
    const srv = await startServe(join(dir, "sweep"));
    try {
      const remote = await runBinary(["retention", "sweep", "--data", data, "--output", "json"]);
      expect(JSON.parse(remote.stdout)).toEqual({ stores: ["default", "web"], deleted: [], errors: [] });
    } finally {
      srv.proc.kill("SIGTERM");
      expect(await srv.exited).toBe(0);
    }
  });
});
