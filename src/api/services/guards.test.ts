/**
 * Query guards through QueryService: `timeout=` stops a scan inside its loop with
 * DEADLINE_EXCEEDED (a table query first sends what it counted), and the config's query.maxRows,
 * query.maxBytes and query.maxResponseBytes cut results with a note the client shows.
 */

import { describe, expect, test } from "bun:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { MemoryConfigStore } from "../../config/memory-store.ts";
import { createMemoryStore } from "../../storage/memory/memory-store.ts";
import { QueryService, type AggregateResponse, type SearchResponse } from "../gen/gastrolog/v1/query_pb.ts";
import { LocalHost } from "../local-host.ts";
import { createInProcessTransport } from "../in-process-transport.ts";

const enc = new TextEncoder();

async function hostWith(records: number, query?: Record<string, unknown>): Promise<LocalHost> {
  const store = createMemoryStore("default", { rotation: { maxRecords: 20_000 } });
  for (let i = 0; i < records; i += 1000) {
    await store.append(Array.from({ length: 1000 }, (_, k) => ({ raw: enc.encode(`info request n=${i + k}`), attrs: { n: String((i + k) % 5000) }, sourceTs: 0, ingestTs: 1_000 + i + k })));
  }
  const config = new MemoryConfigStore();
  if (query) config.apply({ stores: [{ name: "default", route: "*" }], query }, { author: "test", reason: "guards" });
  const host = new LocalHost({
    stores: [{ name: "default", source: { name: "default", store, indexes: () => undefined }, settings: { kind: "memory", dir: "", rotation: { maxBytes: 0, maxRecords: 20_000, maxAgeMicros: 0 }, durability: { kind: "batch" }, route: "" } }],
    version: { version: "t", commit: "t", runtime: "bun" },
    config: { store: config, applied: async () => "", appliedVersion: () => 1, lastError: () => "" },
  });
  host.markReady();
  return host;
}

async function collect<T>(it: AsyncIterable<T>): Promise<{ messages: T[]; error?: ConnectError }> {
  const messages: T[] = [];
  try {
    for await (const m of it) messages.push(m);
    return { messages };
  } catch (err) {
    return { messages, error: ConnectError.from(err) };
  }
}

/** 200 needles no record holds (letters and a dot: scanned, never found by bytes alone). */
const HEAVY = Array.from({ length: 200 }, (_, i) => `zz${String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26))}.q`).join(" OR ");

/**
 * `stats count() by n` under timeouts of 1, 3, 10, 30 and 100 ms: the first run stopped with
 * records counted (or the last run), with its error code, its table's columns and the count it sent.
 */
async function stoppedMidScan(client: ReturnType<typeof createClient<typeof QueryService>>): Promise<{ code?: Code; columns?: string[]; counted: number }> {
  let last: { code?: Code; columns?: string[]; counted: number } = { counted: 0 };
  for (const ms of [1, 3, 10, 30, 100]) {
    const a = await collect<AggregateResponse>(client.aggregate({ query: { text: `timeout=${ms}ms | stats count() by n` } }));
    const counted = a.messages.flatMap((m) => m.rows).reduce((sum, r) => sum + (r.cells[1]!.value.value as number), 0);
    last = { code: a.error?.code, columns: a.messages[0]?.columns.map((c) => c.name), counted };
    if (a.error !== undefined && counted > 0) break;
  }
  return last;
}

describe("query guards", () => {
  test("timeout= stops a search and a table query inside the scan with DEADLINE_EXCEEDED; the table counted so far comes first", async () => {
    const client = createClient(QueryService, createInProcessTransport(await hostWith(60_000)));
    const s = await collect<SearchResponse>(client.search({ query: { text: `timeout=1ms ${HEAVY}` } }));
    expect({ code: s.error?.code, message: s.error?.rawMessage }).toEqual({ code: Code.DeadlineExceeded, message: expect.stringContaining("query stopped at its time limit (timeout=1ms)") });
    // The deadline must land mid-scan: on a stalled machine 1 ms can pass before the first
    // chunk is counted (an empty partial table, also right), so longer limits are tried in turn.
    const stopped = await stoppedMidScan(client);
    expect({ code: stopped.code, columns: stopped.columns, someCounted: stopped.counted > 0, notAll: stopped.counted < 60_000 }).toEqual({ code: Code.DeadlineExceeded, columns: ["n", "count"], someCounted: true, notAll: true });
    const whole = await collect<AggregateResponse>(client.aggregate({ query: { text: "timeout=1h | stats count()" } }));
    expect({ error: whole.error, count: whole.messages[0]?.rows[0]?.cells[0]?.value.value }).toEqual({ error: undefined, count: 60_000 });
  }, 30_000);

  test("query.maxRows cuts searches (with a resume token) and tables; maxBytes and maxResponseBytes bound bytes", async () => {
    const rows = createClient(QueryService, createInProcessTransport(await hostWith(3000, { maxRows: 25 })));
    const s = await collect<SearchResponse>(rows.search({ query: { text: "info" } }));
    const last = s.messages.at(-1)!;
    expect({ hits: s.messages.flatMap((m) => m.hits).length, truncated: last.truncated, resume: last.resumeToken !== "" }).toEqual({ hits: 25, truncated: "25 matches (the server's query.maxRows); continue with the resume token", resume: true });
    const t = await collect<AggregateResponse>(rows.aggregate({ query: { text: "| stats count() by n" } }));
    expect({ rows: t.messages.flatMap((m) => m.rows).length, truncated: t.messages.at(-1)!.truncated }).toEqual({ rows: 25, truncated: "more than 25 rows (the server's query.maxRows)" });

    const bytes = createClient(QueryService, createInProcessTransport(await hostWith(3000, { maxBytes: "1KB", maxResponseBytes: "200" })));
    const b = await collect<SearchResponse>(bytes.search({ query: { text: "info" } }));
    const sizes = b.messages.map((m) => m.hits.reduce((n, h) => n + h.record!.raw.length, 0));
    const total = sizes.reduce((x, y) => x + y, 0);
    expect({ overLimitOnce: total > 1024 && total - sizes.at(-1)! <= 1024 + 30, perMessage: sizes.every((n) => n <= 200 + 30), truncated: b.messages.at(-1)!.truncated }).toEqual({
      overLimitOnce: true,
      perMessage: true,
      truncated: "more than 1KB of records (the server's query.maxBytes); narrow the query or page with limit=",
    });
  });

  test("query.maxEstimate refuses a query explain estimates above it unless force=true; explain shows the estimate", async () => {
    const client = createClient(QueryService, createInProcessTransport(await hostWith(3000, { maxEstimate: "1us" })));
    const plan = (await client.explain({ query: { text: "info" } })).plan!;
    const total = plan.cost!;
    expect({ records: Number(total.records), blocks: Number(total.blocks) > 0, bytes: Number(total.bytes) > 3000 * 15, millis: total.millis > 0.001, chunks: plan.chunks.reduce((n, c) => n + Number(c.cost!.records), 0) }).toEqual({ records: 3000, blocks: true, bytes: true, millis: true, chunks: 3000 });
    const refused = await collect<SearchResponse>(client.search({ query: { text: "info" } }));
    expect({ code: refused.error?.code, message: refused.error?.rawMessage }).toEqual({ code: Code.ResourceExhausted, message: expect.stringMatching(/^query estimated at \d+ ms \(3000 records, .* to read at 500 MB\/s\) is above the server's query.maxEstimate 1us; narrow the time range or filter, or add force=true$/) });
    const table = await collect<AggregateResponse>(client.aggregate({ query: { text: "| stats count()" } }));
    expect(table.error?.code).toBe(Code.ResourceExhausted);
    const forced = await collect<SearchResponse>(client.search({ query: { text: "info force=true" } }));
    expect({ error: forced.error, hits: forced.messages.flatMap((m) => m.hits).length }).toEqual({ error: undefined, hits: 3000 });
  });
});
