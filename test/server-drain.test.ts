/**
 * Graceful shutdown of the compiled `gastrolog serve`: SIGTERM with appends in flight — every
 * append acknowledged before the signal is present after a restart; Follow streams end with
 * UNAVAILABLE; exit code 0 and the socket removed. Also --demo (chatterbox) data, the
 * Shutdown RPC, and a second server refused on the same data dir.
 */

import { afterAll, expect, test } from "bun:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { existsSync } from "node:fs";
import { IngestService } from "../src/api/gen/gastrolog/v1/ingest_pb.ts";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { StoreService } from "../src/api/gen/gastrolog/v1/store_pb.ts";
import { httpTransport, socketTransport } from "../src/api/transports.ts";
import { serverDir, startServe } from "./support/server.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const { dir, cleanup } = serverDir();
afterAll(cleanup);

test("SIGTERM drains: acknowledged appends survive, follow ends UNAVAILABLE, exit 0", async () => {
  const srv = await startServe(dir);
  const t = socketTransport(srv.socket);
  const ingest = createClient(IngestService, t);
  const follow = createClient(QueryService, httpTransport(`http://${srv.http}`, "grpc")).follow({ query: { text: "never-matches" } })[Symbol.asyncIterator]();
  expect((await follow.next()).value.hits).toEqual([]);
  const ended = follow.next().then(() => undefined, (e) => ConnectError.from(e));

  const acked: string[] = [];
  let signalled = false;
  let enough!: () => void;
  const reached = new Promise<void>((r) => (enough = r));
  const writer = async (w: number) => {
    for (let i = 0; ; i++) {
      const raw = `writer-${w} seq-${i}`;
      try {
        await ingest.append({ records: [{ raw: enc.encode(raw) }] });
        if (acked.push(raw) === 200) enough();
      } catch (err) {
        if (!signalled) throw err; // after SIGTERM: refused, cut off or no server — all fine
        return;
      }
    }
  };
  const writers = [0, 1, 2, 3].map(writer);
  await Promise.race([reached, ...writers]);
  signalled = true;
  srv.proc.kill("SIGTERM");
  const beforeExit = acked.length;
  expect(await srv.exited).toBe(0);
  await Promise.all(writers);
  const err = await ended;
  expect([err?.code, err?.rawMessage]).toEqual([Code.Unavailable, "server is shutting down; follow again once it is back"]);
  expect(srv.logs.map((l) => l.msg).filter((m) => ["shutting down", "stopped"].includes(String(m)))).toEqual(["shutting down", "stopped"]);
  expect(existsSync(srv.socket)).toBe(false);
  expect(acked.length).toBeGreaterThanOrEqual(beforeExit);

  const again = await startServe(dir);
  const stored = new Set<string>();
  for await (const m of createClient(QueryService, socketTransport(again.socket)).search({ query: {} })) for (const h of m.hits) stored.add(dec.decode(h.record!.raw));
  expect(acked.filter((a) => !stored.has(a))).toEqual([]);
  expect(stored.size).toBeGreaterThanOrEqual(acked.length);
  again.proc.kill("SIGINT");
  expect(await again.exited).toBe(0);
});

test("--demo fills the store; Shutdown RPC stops the server; the data dir is locked", async () => {
  const srv = await startServe(dir, ["--demo"]);
  const t = socketTransport(srv.socket);
  const follow = createClient(QueryService, t).follow({ query: { text: "receiver=chatterbox" } })[Symbol.asyncIterator]();
  await follow.next();
  const hit = (await follow.next()).value.hits[0];
  expect([hit.record.attrs.receiver, hit.record.attrs.instance]).toEqual(["chatterbox", "default"]);
  const status = await createClient(LifecycleService, t).status({});
  expect(status.receivers.map((r) => [r.name, r.type, r.state])).toEqual([["demo", "chatterbox", "running"]]);
  expect((await createClient(StoreService, t).listStores({})).stores.map((s) => s.name)).toEqual(["default"]);

  const clash = await startServe(dir, ["--socket", `${dir}/other.sock`]).then(
    () => "started",
    (e: Error) => e.message,
  );
  expect(clash).toContain("cannot start");

  expect((await createClient(LifecycleService, t).shutdown({ reason: "test" })).accepted).toBe(true);
  expect(await srv.exited).toBe(0);
});
