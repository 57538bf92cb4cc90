/**
 * The API over the in-process transport (what the REPL's embedded mode uses): append, search
 * pages with resume tokens and context, explain, follow ending on drain, context around a
 * record, stores/chunks/stats/config/lifecycle, and error codes for bad requests.
 */

import { describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { IngestService } from "./gen/gastrolog/v1/ingest_pb.ts";
import { QueryService } from "./gen/gastrolog/v1/query_pb.ts";
import { StoreService } from "./gen/gastrolog/v1/store_pb.ts";
import { ConfigService } from "./gen/gastrolog/v1/config_pb.ts";
import { LifecycleService } from "./gen/gastrolog/v1/lifecycle_pb.ts";
import { clientFor, memoryHost } from "./test-support.ts";
import { codeOf } from "../../test/support/rpc.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const T0 = Date.UTC(2025, 2, 1) * 1000;

async function seeded(lines: string[], rotation = { maxRecords: 4 }) {
  const host = memoryHost(["default", "other"], rotation);
  const ingest = clientFor(IngestService, host);
  const res = await ingest.append({ records: lines.map((l, i) => ({ raw: enc.encode(l), attrs: { n: String(i) }, sourceTsUs: BigInt(T0 + i * 1_000_000) })) });
  expect(res.refs.map((r) => r.store)).toEqual(lines.map(() => "default"));
  return { host, query: clientFor(QueryService, host) };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const LINES = Array.from({ length: 10 }, (_, i) => `line ${i} ${i % 3 === 0 ? "error" : "ok"}`);

describe("QueryService in-process", () => {
  test("search pages with resume tokens and context", async () => {
    const { query } = await seeded(LINES);
    const page1 = await collect(query.search({ query: { text: "error limit=2" }, batchSize: 1 }));
    expect(page1.map((m) => [m.hits.map((h) => dec.decode(h.record!.raw)), m.done])).toEqual([[["line 0 error"], false], [["line 3 error"], false], [[], true]]);
    const token = page1.at(-1)!.resumeToken;
    expect(token).not.toBe("");
    const page2 = await collect(query.search({ query: { text: "error", limit: 5, resumeToken: token } }));
    expect(page2.flatMap((m) => m.hits.map((h) => dec.decode(h.record!.raw)))).toEqual(["line 6 error", "line 9 error"]);
    expect(page2.at(-1)!.resumeToken).toBe("");
    const ctx = await collect(query.search({ query: { text: "error", reverse: true, limit: 1, contextBefore: 1, contextAfter: 1 } }));
    expect(ctx.flatMap((m) => m.hits.map((h) => [dec.decode(h.record!.raw), h.context]))).toEqual([["line 9 error", false], ["line 8 ok", true]]);
    const timed = await collect(query.search({ query: { startUs: BigInt(T0 + 8_000_000) } }));
    expect(timed.flatMap((m) => m.hits.map((h) => Number(h.record!.sourceTsUs - BigInt(T0)) / 1e6))).toEqual([8, 9]);
  });

  test("explain returns the structured plan and its text", async () => {
    const { query } = await seeded(LINES);
    const r = await query.explain({ query: { text: "error" }, analyze: true });
    expect(r.plan!.expression).toBe("token(error)");
    expect(r.plan!.chunks.map((c) => [c.records, c.scanMode, c.actual?.matched])).toEqual([[4n, "sequential", 2n], [4n, "sequential", 1n], [2n, "sequential", 1n]]);
    expect(r.text).toContain("Expression: token(error)");
  });

  test("follow yields new records and ends with UNAVAILABLE on drain", async () => {
    const { host, query } = await seeded(LINES);
    const ingest = clientFor(IngestService, host);
    const stream = query.follow({ query: { text: "fresh" } })[Symbol.asyncIterator]();
    expect((await stream.next()).value.hits).toEqual([]);
    const first = stream.next();
    await ingest.append({ records: [{ raw: enc.encode("stale") }, { raw: enc.encode("fresh one") }] });
    expect(dec.decode((await first).value.hits[0].record.raw)).toBe("fresh one");
    const end = stream.next();
    host.beginDrain();
    expect(await codeOf(end)).toBe(Code.Unavailable);
    expect(await codeOf(ingest.append({ records: [{ raw: enc.encode("late") }] }))).toBe(Code.Unavailable);
  });

  test("context around a record crosses chunk boundaries", async () => {
    const { query } = await seeded(LINES);
    const all = await collect(query.search({ query: {} }));
    const ref = all[0]!.hits[4]!.ref!;
    const c = await query.getContext({ ref, before: 2, after: 5 });
    expect([c.before.map((h) => h.ref!.pos), c.anchor!.ref!.pos, c.after.map((h) => h.ref!.pos)]).toEqual([[2, 3], 0, [1, 2, 3, 0, 1]]);
    expect(dec.decode(c.anchor!.record!.raw)).toBe("line 4 ok");
  });

  test("bad requests get actionable codes", async () => {
    const { query } = await seeded(LINES);
    const cases: [Promise<unknown>, Code][] = [
      [collect(query.search({ query: { store: "nope" } })), Code.NotFound],
      [collect(query.search({ query: { text: "(unclosed" } })), Code.InvalidArgument],
      [collect(query.search({ query: { resumeToken: "garbage" } })), Code.InvalidArgument],
      [query.getContext({ ref: { store: "default", chunk: "no-such", pos: 0 } }), Code.NotFound],
      [query.getContext({}), Code.InvalidArgument],
      [query.validateQuery({ text: "start=yesterday-ish" }), Code.InvalidArgument],
    ];
    for (const [p, want] of cases) expect(await codeOf(p)).toBe(want);
    const err = await collect(query.search({ query: { store: "nope" } })).catch((e) => ConnectError.from(e).rawMessage);
    expect(err).toBe("unknown store 'nope'; stores: default, other");
    expect(await query.validateQuery({ text: "error  host=a limit=3" })).toMatchObject({ expression: "error AND host=a", limit: 3, reverse: false });
  });
});

describe("Store, config and lifecycle services in-process", () => {
  test("stores, chunks, stats, config and status", async () => {
    const { host } = await seeded(LINES);
    const stores = clientFor(StoreService, host);
    const listed = await stores.listStores({});
    expect(listed.stores.map((s) => [s.name, s.kind, s.chunks, s.records])).toEqual([["default", "memory", 3, 10n], ["other", "memory", 0, 0n]]);
    const chunks = await stores.listChunks({ store: "default" });
    expect(chunks.chunks.map((c) => [c.state, c.records])).toEqual([["sealed", 4n], ["sealed", 4n], ["active", 2n]]);
    expect((await stores.getChunk({ chunk: chunks.chunks[1]!.id })).chunk!.id).toBe(chunks.chunks[1]!.id);
    expect(await codeOf(stores.getIndexReport({ chunk: chunks.chunks[2]!.id }))).toBe(Code.InvalidArgument);
    const report = await stores.getIndexReport({ chunk: chunks.chunks[0]!.id });
    expect(report.sections.map((s) => s.status)).toEqual(Array(7).fill("missing")); // token, attr, kv and the four format indexes
    expect(await stores.getStats({})).toMatchObject({ stores: 2, chunks: 3, sealedChunks: 2, activeChunks: 1, records: 10n, receivers: 0 });
    expect((await stores.sealActive({ store: "default" })).chunk).toBe(chunks.chunks[2]!.id);
    const cfg = await clientFor(ConfigService, host).getConfig({});
    expect(cfg.config!.stores.map((s) => [s.name, s.kind, s.rotation!.maxRecords, s.durability])).toEqual([["default", "memory", 4n, "batch"], ["other", "memory", 4n, "batch"]]);
    const life = clientFor(LifecycleService, host);
    expect(await life.ready({})).toMatchObject({ ready: true, phase: "ready" });
    expect((await life.status({})).stores.map((s) => [s.name, s.records])).toEqual([["default", 10n], ["other", 0n]]);
    expect((await life.version({})).version).toBe("0.0.0-test");
  });
});
