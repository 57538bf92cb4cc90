/**
 * sd_notify over a real Unix datagram socket (bound by Debian's python3, since Bun cannot bind
 * one): path and abstract addresses, the quiet no-socket case and clear errors; then the
 * compiled `serve` under NOTIFY_SOCKET sends READY=1 once /readyz answers 200 and STOPPING=1
 * when the drain starts, by SIGTERM or by the Shutdown RPC.
 */

import { afterAll, expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { join } from "node:path";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { sdNotify } from "../src/app/server/sd-notify.ts";
import { gastrologBinary } from "./support/binary.ts";
import { serverDir } from "./support/server.ts";

const PYTHON = Bun.which("python3", { PATH: "/usr/bin" });
const RECEIVER = `
import json, socket, sys
a = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\\0" + a[1:] if a.startswith("@") else a)
print("bound", flush=True)
while True:
    print(json.dumps(s.recv(4096).decode()), flush=True)
`;
const dir = serverDir();
afterAll(() => dir.cleanup());

/** A datagram listener on `address`; `next()` resolves with each message in order. */
async function listen(address: string) {
  const p = Bun.spawn([PYTHON!, "-c", RECEIVER, address], { stdout: "pipe", stderr: "inherit" });
  const reader = p.stdout.getReader();
  const dec = new TextDecoder();
  let buf = "";
  const line = async (): Promise<string> => {
    while (!buf.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("listener exited");
      buf += dec.decode(value, { stream: true });
    }
    const nl = buf.indexOf("\n");
    const l = buf.slice(0, nl);
    buf = buf.slice(nl + 1);
    return l;
  };
  expect(await line()).toBe("bound");
  return { next: async () => JSON.parse(await line()) as string, stop: () => p.kill() };
}

test.skipIf(!PYTHON)("datagrams reach path and abstract sockets; no socket is quiet; bad ones are errors (needs python3)", async () => {
  const path = join(dir.dir, "notify.sock");
  const abstract = `@gastrolog-test-${process.pid}`;
  for (const address of [path, abstract]) {
    const l = await listen(address);
    expect({ address, sent: sdNotify("READY=1\nSTATUS=ok", { NOTIFY_SOCKET: address }), got: await l.next() }).toEqual({ address, sent: undefined, got: "READY=1\nSTATUS=ok" });
    l.stop();
  }
  const cases = [
    { env: {}, result: undefined },
    { env: { NOTIFY_SOCKET: "relative.sock" }, result: 'unsupported NOTIFY_SOCKET "relative.sock" (a path or @name)' },
    { env: { NOTIFY_SOCKET: join(dir.dir, "nobody-listens.sock") }, result: `sd_notify: sendto ${join(dir.dir, "nobody-listens.sock")} failed` },
  ];
  for (const c of cases) expect({ env: c.env, result: sdNotify("READY=1", c.env) }).toEqual(c);
});

for (const how of ["SIGTERM", "the Shutdown RPC"] as const) {
  test.skipIf(!PYTHON)(`serve notifies READY=1 when ready and STOPPING=1 when ${how} starts the drain (needs python3)`, async () => {
    const address = join(dir.dir, `serve-notify-${how.length}.sock`);
    const socket = join(dir.dir, `s-${how.length}.sock`);
    const l = await listen(address);
    const p = Bun.spawn([await gastrologBinary(), "serve", "--data", join(dir.dir, `data-${how.length}`), "--socket", socket, "--listen", "off"], {
      env: { ...process.env, NOTIFY_SOCKET: address },
      stdout: "ignore",
      stderr: "pipe",
    });
    expect(await l.next()).toBe(`READY=1\nMAINPID=${p.pid}`);
    const ready = await fetch("http://localhost/readyz", { unix: socket });
    expect(ready.status).toBe(200);
    if (how === "SIGTERM") p.kill("SIGTERM");
    else await createClient(LifecycleService, socketTransport(socket)).shutdown({ reason: "test" });
    expect(await l.next()).toBe("STOPPING=1");
    expect(await p.exited).toBe(0);
    expect(await new Response(p.stderr).text()).not.toContain("not sent");
    l.stop();
  });
}
