import { beforeAll, expect, test } from "bun:test";
import { golden } from "../../../test/support/golden.ts";
import { resolve } from "node:path";
import { indexSectionBuilders } from "../../index/builders.ts";
import { openChunkIndexes } from "../../index/open.ts";
import { createMemoryStore } from "../../storage/memory/memory-store.ts";
import { ByteCache } from "../../storage/byte-cache.ts";
import type { ChunkStore } from "../../storage/types.ts";
import { parseQueryArgs } from "../lang/controls.ts";
import { explain, explainAnalyze } from "./explain.ts";
import { renderExplain } from "./explain-text.ts";
import type { SearchSource } from "./source.ts";

const GOLDEN = resolve(import.meta.dir, "../../../test/golden/explain.txt");
const enc = new TextEncoder();
let store: ChunkStore;
let src: SearchSource;

const LINES = [
  "ERROR connection refused",
  "info ok status=200",
  "WARN disk full",
  "info request served",
  "debug tick",
  "info user=bob action=login",
  "debug cache hit",
  "info ok status=200",
  "error timeout after 30s",
  "debug tick",
];

beforeAll(async () => {
  let t = Date.UTC(2025, 2, 1, 10) * 1000;
  store = createMemoryStore("default", { rotation: { maxRecords: 60 }, sectionBuilders: indexSectionBuilders(), clock: () => (t += 1_000_000) });
  for (let i = 0; i < 150; i++) {
    const ts = Date.UTC(2025, 2, 1, 10) * 1000 + i * 60_000_000;
    await store.append([{ raw: enc.encode(LINES[i % LINES.length]!), attrs: { service: i % 2 ? "api" : "db" }, sourceTs: ts, ingestTs: ts }]);
  }
  src = { name: "default", store, indexes: (v, m) => openChunkIndexes(v, m.indexStatus, { cache: new ByteCache(), key: `${m.id}/` }) };
});

/**
 * Replaces chunk IDs with stable names in order of appearance, and the index bytes of cost
 * estimates with N (the queries run in parallel over one cache, so which reads come first varies).
 */
function stable(text: string): string {
  const ids = new Map<string, string>();
  return text.replace(/\d+ index bytes read/g, "N index bytes read").replace(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
    if (!ids.has(id)) ids.set(id, `<chunk-${ids.size + 1}>`);
    return ids.get(id)!;
  });
}

const QUERIES = [
  "error",
  "error -debug",
  "error OR warn",
  "service=api status=200",
  "cafe",
  "nosuchword",
  "start=2025-03-01T10:15:00Z end=2025-03-01T10:20:00Z info",
  "limit=5 reverse=true user=*",
];

test("explain output matches the golden file", async () => {
  const plans = await Promise.all(QUERIES.map((q) => explain(src, { ...parseQueryArgs(q, 0), contextBefore: 0, contextAfter: 0 })));
  const text = QUERIES.map((q, i) => `### ${q}\n${renderExplain(plans[i]!)}`).join("\n");
  const got = stable(text);
  expect(got).toBe(golden(GOLDEN, got));
});

test("analyze reports actual counts equal to the matches", async () => {
  const plan = await explainAnalyze(src, { ...parseQueryArgs("error", 0), contextBefore: 0, contextAfter: 0 });
  const matched = plan.chunks.reduce((n, c) => n + (c.actual?.matched ?? 0), 0);
  expect(matched).toBe(30);
  expect(plan.chunks.filter((c) => c.scanMode === "index-driven").length).toBeGreaterThan(0);
});

test("analyze counts planning and index lookups: index bytes are read cold, none warm", async () => {
  const cache = new ByteCache();
  const shared: SearchSource = { ...src, indexes: (v, m) => openChunkIndexes(v, m.indexStatus, { cache, key: `${m.id}/` }) };
  const run = async () => (await explainAnalyze(shared, { ...parseQueryArgs("error", 0), contextBefore: 0, contextAfter: 0 })).chunks.filter((c) => c.sealed).map((c) => c.actual!);
  const cold = await run();
  const warm = await run();
  expect({
    cold: cold.map((a) => a.indexBytes > 0 && a.indexReads > 0 && a.planMillis >= 0 && a.planMillis <= a.millis),
    warm: warm.map((a) => [a.indexBytes, a.indexReads]),
  }).toEqual({ cold: cold.map(() => true), warm: warm.map(() => [0, 0]) });
});

test("explain and execution share the plan: skipped chunks yield nothing", async () => {
  const plan = await explainAnalyze(src, { ...parseQueryArgs("nosuchword", 0), contextBefore: 0, contextAfter: 0 });
  for (const c of plan.chunks) if (c.sealed) expect(c.scanMode).toBe("skipped");
});

test("a predicate the index only narrows (regex via its literals) is named as the runtime filter, not 'none'", async () => {
  const plan = await explain(src, { ...parseQueryArgs("/timeout after \\d+s/", 0), contextBefore: 0, contextAfter: 0 });
  const driven = plan.chunks.filter((c) => c.scanMode === "index-driven");
  expect(driven.length).toBeGreaterThan(0);
  for (const c of driven) expect(c.runtimeFilter).toBe("regex(/timeout after \\d+s/)");
});
