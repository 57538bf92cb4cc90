/**
 * Issue-10 regression through the compiled server: Python's SysLogHandler over TCP (NUL after
 * each message, no LF) gives one record per message, and a message over maxFrameBytes is cut,
 * shows up in Status as dropped `truncated` with its bytes, and is logged (event "drop").
 */

import { expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { run } from "./receivers/support.ts";
import { serverDir, startServe } from "./support/server.ts";

const PYTHON = "/usr/bin/python3";
const sender = join(import.meta.dir, "receivers/clients/syslog-python.py");
const dec = new TextDecoder();

test.skipIf(!existsSync(PYTHON))("SysLogHandler over TCP through the binary: 1000 records, and an oversize one counted and logged (needs /usr/bin/python3)", async () => {
  const { dir, cleanup } = serverDir();
  try {
    const srv = await startServe(dir, ["--receiver", "syslog=tcp://127.0.0.1:0"]);
    const t = socketTransport(srv.socket);
    const life = createClient(LifecycleService, t);
    const status = async () => (await life.status({})).receivers.find((r) => r.name === "syslog-tcp-0")!;
    const url = (await status()).listening[0]!;
    const port = url.slice(url.lastIndexOf(":") + 1);
    await run([PYTHON, sender, "tcp", port, "1000"]);
    await run([PYTHON, sender, "tcp", port, "1", String(2 << 20)]);
    const deadline = performance.now() + 20_000;
    while (Number((await status()).stored) < 1001 && performance.now() < deadline) await Bun.sleep(20);
    const s = await status();
    const raws: string[] = [];
    for await (const m of createClient(QueryService, t).search({ query: { text: "limit=2000" } })) for (const h of m.hits) raws.push(dec.decode(h.record!.raw));
    const dropLine = await srv.waitLog((l) => l.event === "drop");
    srv.proc.kill("SIGTERM");
    expect(await srv.exited).toBe(0);
    const maxFrame = (1 << 20) + 1024;
    expect({
      stored: Number(s.stored),
      dropped: Object.fromEntries(Object.entries(s.dropped).map(([k, v]) => [k, Number(v)])),
      droppedBytes: Number(s.droppedBytes),
      first: raws.slice(0, 2),
      nul: raws.some((r) => r.includes("\u0000")),
      big: raws.filter((r) => r.startsWith("<12>python tcp message 0 x")).map((r) => r.length),
      log: [dropLine.level, dropLine.receiver, String(dropLine.msg).startsWith("dropped input: truncated 1 (")],
    }).toEqual({
      stored: 1001,
      dropped: { truncated: 1 },
      droppedBytes: 4 + (2 << 20) + 1 - maxFrame,
      first: ["<12>python tcp message 0", "<12>python tcp message 1"],
      nul: false,
      big: [1 << 20],
      log: ["warn", "syslog-tcp-0", true],
    });
  } finally {
    cleanup();
  }
});
