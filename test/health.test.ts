/**
 * `gastrolog health` against the compiled binary: readiness and liveness over HTTP, the Unix
 * socket and the data directory's server.json; a stopped server or a bad address is a failure
 * with a message, never a hang.
 */

import { expect, test } from "bun:test";
import { runBinary } from "./support/binary.ts";
import { serveDuringTests, type ServeProc } from "./support/server.ts";

let srv: ServeProc;
serveDuringTests([], (s) => {
  srv = s;
});

test("a running server is ready and alive over every way of naming it", async () => {
  const cases = [
    { args: ["--addr", `http://${srv.http}`], out: `http://${srv.http}/readyz: 200 ready\n` },
    { args: ["--addr", `http://${srv.http}/`, "--live"], out: `http://${srv.http}/healthz: 200 ok\n` },
    { args: ["--addr", srv.socket], out: `unix:${srv.socket}/readyz: 200 ready\n` },
    { args: ["--addr", `unix:${srv.socket}`, "--live"], out: `unix:${srv.socket}/healthz: 200 ok\n` },
    { args: ["--data", srv.dataDir], out: `http://${srv.http}/readyz: 200 ready\n` },
  ];
  for (const c of cases) expect({ args: c.args, ...(await runBinary(["health", ...c.args])) }).toEqual({ args: c.args, code: 0, stdout: c.out, stderr: "" });
});

test("no server, a stopped server or a bad address fail with a clear message", async () => {
  const http = srv.http;
  srv.proc.kill("SIGTERM");
  expect(await srv.exited).toBe(0);
  const cases = [
    { args: ["--addr", `http://${http}`], code: 1, err: `gastrolog health: no answer from http://${http}/readyz: ` },
    { args: ["--addr", srv.socket], code: 1, err: `gastrolog health: no answer from unix:${srv.socket}/readyz: ` },
    { args: ["--data", srv.dataDir], code: 1, err: `gastrolog health: no server is running on ${srv.dataDir} (no live ${srv.dataDir}/server.json); pass --addr\n` },
    { args: ["--addr", "localhost:4564"], code: 2, err: "gastrolog health: --addr 'localhost:4564' is not http(s)://host:port, unix:PATH or a socket path\n" },
  ];
  for (const c of cases) {
    const r = await runBinary(["health", ...c.args]);
    expect({ args: c.args, code: r.code, stdout: r.stdout, err: r.stderr.slice(0, c.err.length) }).toEqual({ args: c.args, code: c.code, stdout: "", err: c.err });
  }
});
