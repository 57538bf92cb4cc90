/**
 * Tokens through the compiled binary: `serve --auth`, `token create` printing only the secret
 * (through the server's socket, as its owner), `query` refused without a token and let through
 * with --token, --token-file or GASTROLOG_TOKEN, `config set` authored by the token's name,
 * the REPL saying clearly when a command is not permitted, `token revoke` taking effect at once,
 * and `serve` refusing a listener beyond loopback with auth off unless --insecure-no-auth.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "./support/binary.ts";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";

const { dir, cleanup } = serverDir();
let srv: ServeProc;
let url = "";

beforeAll(async () => {
  srv = await startServe(dir, ["--auth"]);
  url = `http://${srv.http}`;
});

afterAll(async () => {
  srv.proc.kill("SIGTERM");
  await srv.exited;
  cleanup();
});

async function create(name: string, ...scopes: string[]): Promise<string> {
  const r = await runBinary(["token", "create", "--data", srv.dataDir, "--name", name, ...scopes.flatMap((s) => ["--scope", s])]);
  expect({ code: r.code, stdout: /^glt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n$/.test(r.stdout), stderr: r.stderr.startsWith(`token ${name} created`) }).toEqual({ code: 0, stdout: true, stderr: true });
  return r.stdout.trim();
}

test("token create prints the secret alone; query needs it (flag, file or environment); revoke ends it", async () => {
  const q = await create("reader", "query");
  const ingest = await runBinary(["query", "--addr", url, "x"]);
  expect({ code: ingest.code, err: ingest.stderr.includes("not authenticated by the server") && ingest.stderr.includes("Bearer") }).toEqual({ code: 1, err: true });
  const file = join(dir, "token");
  writeFileSync(file, `${q}\n`, { mode: 0o600 });
  const codes = [
    (await runBinary(["query", "--addr", url, "--token", q, "x"])).code,
    (await runBinary(["query", "--addr", url, "--token-file", file, "x"])).code,
    (await runBinary(["query", "--addr", url, "x"], { env: { GASTROLOG_TOKEN: q } })).code,
    (await runBinary(["query", "--addr", url, "x"], { env: { GASTROLOG_TOKEN_FILE: file } })).code,
  ];
  expect(codes).toEqual([0, 0, 0, 0]);
  const list = await runBinary(["token", "list", "--data", srv.dataDir, "--output", "json"]);
  expect(list.stdout.trim().split("\n").map((l) => JSON.parse(l)).map((t: { name: string; scopes: string[]; createdBy: string }) => ({ name: t.name, scopes: t.scopes, createdBy: t.createdBy }))).toEqual([{ name: "reader", scopes: ["query:store=*"], createdBy: "local" }]);
  expect((await runBinary(["token", "revoke", "--data", srv.dataDir, "reader"])).code).toBe(0);
  const after = await runBinary(["query", "--addr", url, "--token", q, "x"]);
  expect({ code: after.code, revoked: after.stderr.includes("unknown or revoked") }).toEqual({ code: 1, revoked: true });
});

test("config set with a token is authored by the token's name; the REPL says when a command is not permitted", async () => {
  const admin = await create("ops-bot", "config:write");
  const set = await runBinary(["config", "set", "--addr", url, "--token", admin, "server.logLevel=debug", "-m", "louder"]);
  expect(set.code).toBe(0);
  const history = await runBinary(["config", "history", "--addr", url, "--token", admin, "--output", "json"]);
  expect(history.code).toBe(0);
  expect(history.stdout).toContain('"author":"ops-bot"');
  const reader = await create("repl-reader", "query");
  const repl = await runBinary(["repl", url, "--token", reader, "-c", "stats", "-c", "config show"]);
  expect({ code: repl.code, says: /Error: not permitted: repl-reader may not call gastrolog\.v1\.ConfigService\/\w+: it needs scope config:read/.test(repl.stdout + repl.stderr) }).toEqual({ code: 1, says: true });
  const none = await runBinary(["repl", url, "-c", "stats"]);
  expect({ code: none.code, says: none.stderr.includes("requires a token") }).toEqual({ code: 1, says: true });
});

test("serve refuses a listener beyond loopback with auth off unless --insecure-no-auth", async () => {
  const d = serverDir();
  try {
    const data = join(d.dir, "data");
    expect((await runBinary(["config", "set", "--data", data, "server.auth=false"])).code).toBe(0);
    const refused = await runBinary(["serve", "--data", data, "--listen", "0.0.0.0:0", "--socket", "off"]);
    expect({ code: refused.code, says: refused.stderr.includes("refusing to serve the API on 0.0.0.0:0 (beyond loopback) without authentication") }).toEqual({ code: 1, says: true });
    const s = await startServe(d.dir, ["--insecure-no-auth", "--listen", "0.0.0.0:0"]);
    const listening = await s.waitLog((l) => l.msg === "listening");
    expect({ auth: listening.auth, http: String(listening.http).startsWith("0.0.0.0:") }).toEqual({ auth: false, http: true });
    s.proc.kill("SIGTERM");
    expect(await s.exited).toBe(0);
  } finally {
    d.cleanup();
  }
});
