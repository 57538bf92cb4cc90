/**
 * A record whose event time the store cannot hold (a client's clock or unit gone wrong: Loki's
 * largest nanosecond timestamp, a GELF timestamp in the year 300,000) is stored with no event
 * time and the original in `_invalid_source_ts`, and never fails the records it travels with.
 * Through the compiled server, a file store, and real sockets.
 */

import { expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { serveDuringTests, type ServeProc } from "./support/server.ts";
import { until } from "./support/until.ts";

const dec = new TextDecoder();
let srv: ServeProc;
serveDuringTests(["--receiver", "http=http://127.0.0.1:0", "--receiver", "gelf=udp://127.0.0.1:0"], (s) => void (srv = s));

async function listener(scheme: string): Promise<number> {
  const status = await createClient(LifecycleService, socketTransport(srv.socket)).status({});
  const url = status.receivers.flatMap((r) => r.listening).find((u) => u.startsWith(`${scheme}://`));
  if (!url) throw new Error(`no ${scheme} listener`);
  return Number(url.slice(url.lastIndexOf(":") + 1));
}

async function stored(): Promise<{ raw: string; bad: string | undefined; ts: bigint }[]> {
  const out: { raw: string; bad: string | undefined; ts: bigint }[] = [];
  for await (const m of createClient(QueryService, socketTransport(srv.socket)).search({ query: {} })) {
    for (const h of m.hits) out.push({ raw: dec.decode(h.record!.raw), bad: h.record!.attrs._invalid_source_ts, ts: h.record!.sourceTsUs });
  }
  return out.sort((a, b) => (a.raw < b.raw ? -1 : 1));
}

test("an event time the store cannot hold keeps the record (time in an attr) and its batch-mates", async () => {
  const push = await fetch(`http://127.0.0.1:${await listener("http")}/loki/api/v1/push`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ streams: [{ stream: { app: "t" }, values: [["9223372036854775807", "far future"], ["1795726040877000001", "ok line"]] }] }),
  });
  expect(push.status).toBe(204);
  const udp = await Bun.udpSocket({});
  udp.send(JSON.stringify({ version: "1.1", host: "h", short_message: "gelf year 300000", timestamp: 1e13 }), await listener("udp"), "127.0.0.1");
  const got = await until(async () => {
    const rs = await stored();
    return rs.length >= 3 && rs;
  }, { what: "three records stored", pollMs: 50 });
  udp.close();
  expect(got.map((r) => ({ raw: r.raw, bad: r.bad, hasTime: r.ts > 0n }))).toEqual([
    { raw: "far future", bad: "9223372036854776", hasTime: false },
    { raw: "gelf year 300000", bad: "10000000000000000000", hasTime: false },
    { raw: "ok line", bad: undefined, hasTime: true },
  ]);
});
