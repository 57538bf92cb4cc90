/**
 * `gastrolog serve` end to end (compiled binary): the project's own clients over the Unix
 * socket (gRPC) and HTTP (Connect, gRPC-Web), buf curl with server reflection over all three,
 * search / follow / explain, health endpoints, and bad requests that get the right code while
 * the server stays healthy.
 */

import { describe, expect, test } from "bun:test";
import { Code, createClient } from "@connectrpc/connect";
import { resolve } from "node:path";
import { IngestService } from "../src/api/gen/gastrolog/v1/ingest_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { httpTransport, socketTransport } from "../src/api/transports.ts";
import { serveDuringTests, type ServeProc } from "./support/server.ts";
import { codeOf } from "./support/rpc.ts";

const BUF = resolve(import.meta.dir, "../node_modules/.bin/buf");
const enc = new TextEncoder();
const dec = new TextDecoder();
let srv: ServeProc;

async function bufCurl(args: string[], data?: string): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([BUF, "curl", ...(data === undefined ? [] : ["-d", data]), ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out, err };
}

const unixArgs = () => ["--unix-socket", srv.socket, "--http2-prior-knowledge", "--protocol", "grpc"];

async function texts<T extends { hits: { record?: { raw: Uint8Array } }[] }>(it: AsyncIterable<T>): Promise<string[]> {
  const out: string[] = [];
  for await (const m of it) for (const h of m.hits) out.push(dec.decode(h.record!.raw));
  return out;
}

serveDuringTests([], async (s) => {
  srv = s;
  const ingest = createClient(IngestService, socketTransport(srv.socket));
  const lines = ["boot ok", "disk error on sda", "request ok status=200", "timeout error talking to db", "shutdown ok"];
  await ingest.append({ records: lines.map((l, i) => ({ raw: enc.encode(l), attrs: { i: String(i) } })) });
});

describe("own clients", () => {
  test("search over every protocol and transport", async () => {
    const transports = [socketTransport(srv.socket), httpTransport(`http://${srv.http}`, "connect"), httpTransport(`http://${srv.http}`, "grpcweb"), httpTransport(`http://${srv.http}`, "grpc")];
    for (const t of transports) {
      expect(await texts(createClient(QueryService, t).search({ query: { text: "error" } }))).toEqual(["disk error on sda", "timeout error talking to db"]);
    }
  });

  test("follow sees a new record; explain returns the plan", async () => {
    const t = socketTransport(srv.socket);
    const q = createClient(QueryService, t);
    const ctl = new AbortController();
    const it = q.follow({ query: { text: "fresh" } }, { signal: ctl.signal })[Symbol.asyncIterator]();
    expect((await it.next()).value.hits).toEqual([]);
    const next = it.next();
    await createClient(IngestService, httpTransport(`http://${srv.http}`, "connect")).append({ records: [{ raw: enc.encode("fresh record") }] });
    expect(dec.decode((await next).value.hits[0].record.raw)).toBe("fresh record");
    ctl.abort();
    const plan = await q.explain({ query: { text: "error OR fresh" } });
    expect(plan.plan!.dnfBranches).toEqual(["token(error)", "token(fresh)"]);
    expect(plan.text).toContain("DNF Branches: 2");
  });

  test("health endpoints over HTTP and the socket", async () => {
    const r = await Promise.all([fetch(`http://${srv.http}/healthz`), fetch(`http://${srv.http}/readyz`), fetch("http://x/readyz", { unix: srv.socket } as RequestInit)]);
    expect(await Promise.all(r.map(async (x) => [x.status, await x.text()]))).toEqual([[200, "ok\n"], [200, "ready\n"], [200, "ready\n"]]);
  });
});

describe("buf curl (third-party client, reflection only)", () => {
  test("lists services over the socket and HTTP", async () => {
    const want = ["gastrolog.v1.ConfigService", "gastrolog.v1.IngestService", "gastrolog.v1.LifecycleService", "gastrolog.v1.QueryService", "gastrolog.v1.StoreService", "gastrolog.v1.TokenService", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];
    for (const args of [[...unixArgs(), "--list-services", "http://localhost"], ["--list-services", `http://${srv.http}`]]) {
      const r = await bufCurl(args);
      expect([r.code, r.err]).toEqual([0, ""]);
      expect(r.out.trim().split("\n")).toEqual(want);
    }
  });

  test("search, explain and follow over grpc, connect and grpcweb", async () => {
    const search = JSON.stringify({ query: { text: "error", limit: 1 } });
    const viaSocket = await bufCurl([...unixArgs(), "http://localhost/gastrolog.v1.QueryService/Search"], search);
    const viaConnect = await bufCurl(["--protocol", "connect", `http://${srv.http}/gastrolog.v1.QueryService/Search`], search);
    const viaWeb = await bufCurl(["--protocol", "grpcweb", `http://${srv.http}/gastrolog.v1.QueryService/Search`], search);
    for (const r of [viaSocket, viaConnect, viaWeb]) {
      expect(r.code).toBe(0);
      const msg = JSON.parse(r.out);
      expect([dec.decode(Buffer.from(msg.hits[0].record.raw, "base64")), msg.done, typeof msg.resumeToken]).toEqual(["disk error on sda", true, "string"]);
    }
    const explain = await bufCurl(["--protocol", "connect", `http://${srv.http}/gastrolog.v1.QueryService/Explain`], JSON.stringify({ query: { text: "error" } }));
    expect(JSON.parse(explain.out).plan.expression).toBe("token(error)");
    // Under heavy load buf curl's own deadline and the server's (from grpc-timeout) fire at the
    // same moment, and buf then sometimes reads the stream's end before the trailers ("no
    // Grpc-Status trailer: unexpected EOF", code 13); curl with only the server deadline never
    // does. That race, and only it, is retried.
    let follow = await bufCurl([...unixArgs(), "--timeout", "1s", "http://localhost/gastrolog.v1.QueryService/Follow"], "{}");
    for (let retry = 0; retry < 3 && follow.code >> 3 === Code.Internal && follow.err.includes("no Grpc-Status trailer"); retry++) {
      follow = await bufCurl([...unixArgs(), "--timeout", "1s", "http://localhost/gastrolog.v1.QueryService/Follow"], "{}");
    }
    expect([follow.code >> 3, follow.out.trim(), follow.err]).toEqual([Code.DeadlineExceeded, "{}", expect.stringContaining("deadline_exceeded")]);
  });

  test("errors carry gRPC codes", async () => {
    const r = await bufCurl([...unixArgs(), "http://localhost/gastrolog.v1.QueryService/Explain"], JSON.stringify({ query: { store: "nope" } }));
    expect([r.code >> 3, r.err]).toEqual([Code.NotFound, expect.stringContaining("unknown store 'nope'; stores: default")]);
  });
});

describe("bad requests", () => {
  test("get the right codes and leave the server healthy", async () => {
    const q = createClient(QueryService, socketTransport(srv.socket));
    const ingest = createClient(IngestService, httpTransport(`http://${srv.http}`, "connect"));
    expect(await codeOf(q.explain({ query: { store: "nope" } }))).toBe(Code.NotFound);
    expect(await codeOf(q.explain({ query: { text: "a AND (b" } }))).toBe(Code.InvalidArgument);
    expect(await codeOf(ingest.append({ records: [{ raw: new Uint8Array(17 << 20) }] }))).toBe(Code.ResourceExhausted);
    const malformed = await fetch(`http://${srv.http}/gastrolog.v1.IngestService/Append`, { method: "POST", headers: { "content-type": "application/proto" }, body: Uint8Array.of(0x0a, 0xff, 0xff, 0xff) });
    // An unparseable request body is the client's mistake (api-bad-messages.test.ts covers every protocol).
    const body = (await malformed.json()) as { code: string; message: string };
    expect([malformed.status, body.code, body.message.startsWith("cannot decode the request: parse binary:")]).toEqual([400, "invalid_argument", true]);
    const notFound = await fetch(`http://${srv.http}/gastrolog.v1.Nope/Nope`, { method: "POST" });
    expect(notFound.status).toBe(404);
    expect((await fetch(`http://${srv.http}/readyz`)).status).toBe(200);
    expect(await texts(q.search({ query: { text: "boot" } }))).toEqual(["boot ok"]);
  });
});
