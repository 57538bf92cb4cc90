/**
 * OTLP through the compiled server: `serve --receiver otlp=http://... --receiver
 * otlp=grpc://...` fed by the OpenTelemetry SDK exporters (HTTP protobuf with gzip, gRPC); the
 * records come back through the query API with their attrs, and the per-receiver metrics on
 * /metrics count what each receiver accepted, stored and acknowledged, and one bad request.
 */

import { expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { join } from "node:path";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { expectedOtlp } from "./receivers/otlp-expected.ts";
import { run } from "./receivers/support.ts";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";

const sender = join(import.meta.dir, "receivers/clients/otlp-send.cjs");
const dec = new TextDecoder();

function api(s: ServeProc) {
  const t = socketTransport(s.socket);
  return { life: createClient(LifecycleService, t), query: createClient(QueryService, t) };
}

async function port(s: ServeProc, id: string): Promise<number> {
  const url = (await api(s).life.status({})).receivers.find((x) => x.name === id)?.listening[0];
  if (!url) throw new Error(`receiver ${id} is not listening`);
  return Number(url.slice(url.lastIndexOf(":") + 1));
}

test("SDK exporters over OTLP/HTTP and OTLP/gRPC through the binary; records queryable, metrics per receiver", async () => {
  const { dir, cleanup } = serverDir();
  try {
    const srv = await startServe(dir, ["--receiver", "otlp=http://127.0.0.1:0", "--receiver", "otlp=grpc://127.0.0.1:0"]);
    const http = await port(srv, "otlp-http-0");
    const grpc = await port(srv, "otlp-grpc-0");
    const outs = [await run([process.execPath, sender, "http-proto", `http://127.0.0.1:${http}/v1/logs`, "20", "gzip"]), await run([process.execPath, sender, "grpc", `http://127.0.0.1:${grpc}`, "10"])];
    const bad = await fetch(`http://127.0.0.1:${http}/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    const rs: { raw: string; attrs: Record<string, string>; sourceTs: number }[] = [];
    for await (const m of api(srv).query.search({ query: { text: "limit=1000" } })) {
      for (const h of m.hits) {
        const { remote_ip: _ip, receiver, ...attrs } = h.record!.attrs;
        rs.push({ raw: dec.decode(h.record!.raw), attrs: { ...attrs, receiver: receiver === "otlp-http-0" ? "r1" : `${receiver}` }, sourceTs: Number(h.record!.sourceTsUs) });
      }
    }
    const metrics = await (await fetch(`http://${srv.http}/metrics`)).text();
    const series = (name: string) => Object.fromEntries([...metrics.matchAll(new RegExp(`^${name}\\{(receiver="otlp-[a-z]+-0",type="otlp"[^}]*)\\} (\\d+)$`, "gm"))].map((m) => [m[1]!, Number(m[2])]));
    srv.proc.kill("SIGTERM");
    expect(await srv.exited).toBe(0);
    expect({ outs: outs.map((o) => o.trim().split("\n").pop()), bad: bad.status, fromHttp: rs.filter((r) => r.attrs.receiver === "r1").sort((a, b) => a.sourceTs - b.sourceTs), fromGrpc: rs.filter((r) => r.attrs.receiver === "otlp-grpc-0").length }).toEqual({
      outs: ["sent 20", "sent 10"],
      bad: 400,
      fromHttp: Array.from({ length: 20 }, (_, i) => expectedOtlp(i)),
      fromGrpc: 10,
    });
    expect({
      records: series("gastrolog_receiver_records_total"),
      acked: series("gastrolog_receiver_acked_records_total"),
      dropped: series("gastrolog_receiver_dropped_total"),
    }).toEqual({
      records: { 'receiver="otlp-http-0",type="otlp"': 20, 'receiver="otlp-grpc-0",type="otlp"': 10 },
      acked: { 'receiver="otlp-http-0",type="otlp"': 20, 'receiver="otlp-grpc-0",type="otlp"': 10 },
      dropped: { 'receiver="otlp-http-0",type="otlp",reason="decode_failed"': 1 },
    });
  } finally {
    cleanup();
  }
}, 120_000);
