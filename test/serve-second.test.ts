/**
 * A second `serve` on a data directory a server holds is refused and leaves the running
 * server's DATA/server.json alone, so query, config and retention keep finding the server
 * (issue 10, item 3). Also the modes of what a server creates: its API socket 0600, its data
 * directories what the umask gives (the socket's narrow umask must not leak). Compiled binary.
 */

import { expect, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "./support/binary.ts";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";

test("a refused second serve keeps the first server's server.json; the CLI still reaches the server", async () => {
  const d = serverDir();
  const srv = await startServe(d.dir);
  try {
    await refusedSecond(srv);
  } finally {
    srv.proc.kill("SIGTERM");
    expect(await srv.exited).toBe(0);
    d.cleanup();
  }
});

async function refusedSecond(srv: ServeProc): Promise<void> {
  const info = () => JSON.parse(readFileSync(join(srv.dataDir, "server.json"), "utf8")) as { pid: number; socket: string };
  const before = info();
  expect(before.pid).toBe(srv.proc.pid);
  const second = await runBinary(["serve", "--data", srv.dataDir, "--listen", "127.0.0.1:0", "--socket", join(srv.dataDir, "second.sock")]);
  expect({ code: second.code, locked: /locked by pid \d+/.test(second.stderr) }).toEqual({ code: 1, locked: true });
  expect(info()).toEqual(before);
  const query = await runBinary(["query", "--data", srv.dataDir, "--limit", "1", ""]);
  const set = await runBinary(["config", "set", "--data", srv.dataDir, "stores[default].retention.maxChunks=100"]);
  const sweep = await runBinary(["retention", "sweep", "--data", srv.dataDir]);
  expect([query, set, sweep].map((r) => ({ code: r.code, locked: r.stderr.includes("locked") }))).toEqual([
    { code: 0, locked: false },
    { code: 0, locked: false },
    { code: 0, locked: false },
  ]);
}

test("the API socket is 0600 and the data directories the server made have the modes the umask gives (searchable)", async () => {
  const d = serverDir();
  const srv = await startServe(d.dir);
  try {
    const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
    const dirMode = (0o777 & ~process.umask()).toString(8);
    expect({ socket: mode(srv.socket), data: mode(srv.dataDir), stores: mode(join(srv.dataDir, "stores")) }).toEqual({ socket: "600", data: dirMode, stores: dirMode });
  } finally {
    srv.proc.kill("SIGTERM");
    expect(await srv.exited).toBe(0);
    d.cleanup();
  }
});
