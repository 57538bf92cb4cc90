/**
 * What each command loads (not timed, so it cannot be flaky): runs src/main.ts with a preload
 * that records every module imported, adds the built-in modules those files import statically,
 * and checks that `version` and `--help` load no server, receivers, SQLite, storage or
 * generated API, and that a local `query` loads no server, receivers, network client,
 * AsyncLocalStorage (only a server meters queries), Connect, protobuf or generated API (it calls
 * the query code behind QueryService directly), re2js (loaded by the first regex) or node:zlib
 * (its streams; loaded by the first decode into a reused buffer), `repl --embedded -c` no node
 * streams (node:tty included), file store, segment codecs or SQLite, and only the API services
 * its commands call, and that a server loads a receiver protocol's module only when a receiver
 * of that type is configured. Packages are named by package; the regex query (re2js) and the
 * REPL (Connect, protobuf) show that the package checks see them. A regression in start-up
 * (issue 11 part 2) shows up here as a module name.
 */

import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const dir = mkdtempSync(join(tmpdir(), "graph-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const transpiler = new Bun.Transpiler({ loader: "ts" });

/**
 * Modules a run of `gastrolog ARGS` loads: src paths relative to the repo, packages (any file of
 * theirs) and builtins by name. `untilReady`: a server, stopped with SIGTERM once it logs that it is ready.
 */
async function loaded(args: string[], untilReady = false): Promise<string[]> {
  const out = join(dir, "trace.txt");
  const p = Bun.spawn([process.execPath, "--preload", join(ROOT, "test/support/trace-modules.ts"), join(ROOT, "src/main.ts"), ...args], {
    env: { ...process.env, TRACE_OUT: out, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const logs = p.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let stderr = "";
  for (let stopping = !untilReady; ; ) {
    const { value, done } = await logs.read();
    if (done) break;
    stderr += value;
    if (!stopping && /\bready\b/.test(stderr)) {
      stopping = true;
      p.kill("SIGTERM");
    }
  }
  const code = await p.exited;
  if (code !== 0) throw new Error(`gastrolog ${args.join(" ")} exited ${code}: ${stderr}`);
  const mods = new Set<string>();
  for (const m of readFileSync(out, "utf8").split("\n").filter(Boolean)) {
    if (!m.startsWith("/")) {
      mods.add(m);
      continue;
    }
    const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m);
    if (pkg) {
      mods.add(pkg[1]!);
      continue;
    }
    mods.add(relative(ROOT, m));
    if (!m.endsWith(".ts")) continue;
    for (const imp of transpiler.scanImports(readFileSync(m, "utf8"))) {
      if (imp.kind === "import-statement" && /^(bun|node):/.test(imp.path)) mods.add(imp.path);
    }
  }
  return [...mods].sort();
}

/** Modules no start-up path should need, by pattern. */
const HEAVY: Record<string, RegExp> = {
  server: /^src\/app\/server\/(server|engine|reconcile|receivers|listen)\.ts$/,
  receivers: /^src\/ingest\/receivers\//,
  sqlite: /^bun:sqlite$/,
  storage: /^src\/storage\//,
  "file store and segments": /^src\/storage\/(file|segment)\//,
  "generated API": /^src\/api\/gen\//,
  "API services": /^src\/api\/services\//,
  connect: /^@connectrpc\//,
  protobuf: /^@bufbuild\/protobuf/,
  "network client": /^(node:http2|node:net|src\/api\/transports\.ts)$/,
  "node streams (process.stdout, zlib)": /^(node:tty|node:stream|node:zlib)$/,
  "regex engine (re2js)": /^re2js$/,
  "async context tracking (AsyncLocalStorage)": /^node:async_hooks$/,
};

const offenders = (mods: string[], names: string[]) => Object.fromEntries(names.map((n) => [n, mods.filter((m) => HEAVY[n]!.test(m))]));
const none = (names: string[]) => Object.fromEntries(names.map((n) => [n, []]));

test.each(["version", "--help", "query --help"])("`gastrolog %s` loads nothing heavy", async (cmd) => {
  const names = Object.keys(HEAVY);
  expect(offenders(await loaded(cmd.split(" ")), names)).toEqual(none(names));
});

test("a local query loads the engine and the query code behind QueryService, not Connect, protobuf, the generated API, the server, receivers or network client", async () => {
  const data = join(dir, "data");
  const log = join(dir, "a.log");
  writeFileSync(log, "2025-03-01T10:00:00Z error one\n2025-03-01T10:00:01Z info two\n");
  const { gastrologBinary } = await import("./support/binary.ts");
  expect((await Bun.spawn([await gastrologBinary(), "import", "--quiet", "--data", data, log]).exited)).toBe(0);
  const names = ["server", "receivers", "network client", "node streams (process.stdout, zlib)", "async context tracking (AsyncLocalStorage)", "generated API", "connect", "protobuf", "regex engine (re2js)"];
  for (const args of [["error"], ["--output", "json", "error"], ["--raw", "error"], ["| stats count()"], ["--output", "csv", "| stats count() by level"], ["--explain", "error"], ["--analyze", "--output", "json", "error"]]) {
    const mods = await loaded(["query", "--data", data, ...args]);
    expect({ args, ...offenders(mods, names) }).toEqual({ args, ...none(names) });
    expect(["src/api/services/query-core.ts", "src/query/engine/search.ts"].filter((m) => !mods.includes(m))).toEqual([]);
    expect(mods.filter((m) => /^src\/api\/services\/(query|store|config|lifecycle|ingest)\.ts$/.test(m))).toEqual([]);
  }
  // Packages are seen (so the checks above are not vacuous): a regex loads re2js, on first use.
  expect(offenders(await loaded(["query", "--data", data, "/err(or)?/"]), ["regex engine (re2js)"])).toEqual({ "regex engine (re2js)": ["re2js"] });
}, 30_000);

test("repl --embedded -c on a file loads no server, receivers, network client, node streams, file store or SQLite", async () => {
  const log = join(dir, "repl.log");
  writeFileSync(log, "2025-03-01T10:00:00Z error one\n");
  const names = ["server", "receivers", "network client", "node streams (process.stdout, zlib)", "file store and segments", "sqlite"];
  const queried = await loaded(["repl", "--embedded", "-c", "query error", log]);
  expect(offenders(queried, names)).toEqual(none(names));
  const mods = await loaded(["repl", "--embedded", "-c", "stats", log]);
  expect(offenders(mods, names)).toEqual(none(names));
  // Services load on first use: `stats` needs StoreService alone (and QueryService's client).
  expect(mods.filter((m) => /^src\/api\/(gen\/gastrolog\/v1\/(config|lifecycle|ingest|token)_pb|services\/(config|lifecycle|ingest|token|query))\.ts$/.test(m))).toEqual([]);
  expect(["src/api/gen/gastrolog/v1/store_pb.ts", "src/api/services/store.ts"].filter((m) => !mods.includes(m))).toEqual([]);
  // The REPL talks through the API (in-process Connect transport), so the package checks the
  // local query passes do match where those packages are loaded.
  expect(offenders(mods, ["connect", "protobuf"])).toEqual({ connect: ["@connectrpc/connect"], protobuf: ["@bufbuild/protobuf"] });
});

test("a server loads the module of a receiver type only when a receiver of that type is configured", async () => {
  const receiverModules = (mods: string[]) => [...new Set(mods.filter((m) => HEAVY.receivers!.test(m)).map((m) => m.split("/")[3]!))].sort();
  const serve = (name: string, extra: string[]) => ["serve", "--data", join(dir, name), "--socket", join(dir, `${name}.sock`), "--listen", "off", ...extra];
  const none = receiverModules(await loaded(serve("none", []), true));
  expect(none.filter((m) => !m.endsWith(".ts"))).toEqual([]);
  const syslog = receiverModules(await loaded(serve("syslog", ["--receiver", "syslog=udp://127.0.0.1:0"]), true));
  expect(syslog).toContain("syslog");
  expect(syslog.filter((m) => !m.endsWith(".ts") && m !== "syslog")).toEqual([]);
}, 30_000);
