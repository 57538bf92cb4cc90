/** Metrics: content negotiation and both exposition formats (counter names keep `_total`). */

import { expect, test } from "bun:test";
import { Metrics, OPENMETRICS_CONTENT_TYPE, prefersOpenMetrics, PROMETHEUS_CONTENT_TYPE } from "./metrics.ts";
import { chargeDecompressedBlock, meteredStream, withQueryCost } from "./query-cost.ts";

test("Accept negotiation", () => {
  const cases: [string | undefined, boolean][] = [
    [undefined, false],
    ["", false],
    ["*/*", false],
    ["text/plain;version=0.0.4", false],
    ["application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", true],
    ["text/plain;q=1, application/openmetrics-text;q=0.5", false],
    ["application/openmetrics-text;q=0", false],
  ];
  expect(cases.map(([a]) => prefersOpenMetrics(a))).toEqual(cases.map(([, want]) => want));
});

test("both formats from one registry, in any order, with the counter names intact", async () => {
  const m = new Metrics();
  m.queries.inc({ kind: "search" }, 2);
  const line = (body: string) => body.split("\n").filter((l) => l.startsWith("gastrolog_queries"));
  const text1 = await m.expose(undefined);
  const om = await m.expose("application/openmetrics-text;version=1.0.0");
  const text2 = await m.expose("text/plain");
  expect([text1.contentType, om.contentType, text2.contentType]).toEqual([PROMETHEUS_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE]);
  expect([line(text1.body), line(om.body), line(text2.body)]).toEqual([['gastrolog_queries_total{kind="search"} 2'], ['gastrolog_queries_total{kind="search"} 2'], ['gastrolog_queries_total{kind="search"} 2']]);
  expect(om.body.includes("# TYPE gastrolog_queries counter")).toBe(true);
  expect(text2.body.includes("# TYPE gastrolog_queries_total counter")).toBe(true);
  expect(om.body.endsWith("# EOF\n")).toBe(true);
});

test("decompressed blocks are charged to the query whose context runs them, across awaits and stream steps", async () => {
  const a = { blocks: 0, bytes: 0 };
  const b = { blocks: 0, bytes: 0 };
  async function* blocks(n: number) {
    for (let i = 0; i < n; i++) {
      await Bun.sleep(1);
      chargeDecompressedBlock(100);
      yield i;
    }
  }
  const seen: number[] = [];
  await Promise.all([
    withQueryCost(a, async () => {
      await Bun.sleep(1);
      chargeDecompressedBlock(7);
    }),
    (async () => {
      for await (const x of meteredStream(b, blocks(3))) seen.push(x);
    })(),
  ]);
  chargeDecompressedBlock(1000);
  expect({ a, b, seen }).toEqual({ a: { blocks: 1, bytes: 7 }, b: { blocks: 3, bytes: 300 }, seen: [0, 1, 2] });
});
