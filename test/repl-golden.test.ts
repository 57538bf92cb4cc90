/**
 * Golden transcripts of every REPL command (test/golden/repl-<name>.txt) over the in-process
 * API and a fixed fixture. A missing one fails; UPDATE_GOLDEN=1 rewrites them (review the diff).
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { IngestService } from "../src/api/gen/gastrolog/v1/ingest_pb.ts";
import { runLine } from "../src/repl/dispatch.ts";
import { golden } from "./support/golden.ts";
import { configFixture, fixtureRecord, replFixture, stableIds, Transcript, type ConfigFixture, type ReplFixture } from "./support/repl.ts";

const GOLDEN = join(import.meta.dir, "golden");
let fx: ReplFixture;
let ids: string[];
let cfx: ConfigFixture;

beforeAll(async () => {
  fx = await replFixture();
  ids = fx.host.store("default")!.source.store.chunks().map((c) => c.id);
  cfx = await configFixture();
});

afterAll(async () => {
  await cfx.close();
});

/** A transcript (chunk ids made stable) and its golden text from test/golden/repl-<name>.txt. */
function transcriptGolden(name: string, text: string): { got: string; want: string } {
  const got = stableIds(text);
  return { got, want: golden(join(GOLDEN, `repl-${name}.txt`), got) };
}

/** Each case: golden name, script lines ({c0} {c1} {c2} = chunk IDs of "default"), expected successes. */
const CASES: [string, string[], boolean[]][] = [
  ["query", ["query error", "query error -disk limit=2", "query host=web-3 level=info", "query nosuchword", "query start=bad"], [true, true, true, true, false]],
  ["next", ["next", "set pager=4", "query", "next", "next 2", "next", "next", "set pager=0", "query level=warn", "next"], [false, true, true, true, true, true, true, true, true, false]],
  ["context", ["set context=1", "query disk", "set context=2 pager=3", "query error"], [true, true, true, true]],
  ["reverse", ["query reverse=true limit=3 info"], [true]],
  ["aggregate", ["query * | stats count(), min(_time), max(_time) by bin(1m)", "query | stats count() by level, host | sort -count | head 4", "set output=json", "query error | stats count(), count_distinct(host) as hosts", "set output=text", "query | timechart 3", "query | stats avg()", "query | sort level", "follow | stats count()", "explain error | stats count() by host | head 2"], [true, true, true, true, true, true, false, false, false, true]],
  ["explain", ["explain error", "explain user=alice start=2025-03-01T10:00:30Z", "explain ("], [true, true, false]],
  ["store", ["store", "store audit", "query", "store nope", "store default"], [true, true, true, false, true]],
  ["set", ["set", "set pager=5", "set pager=0", "set pager=-1", "set pager", "set color=on", "set output=json", "set output=xml", "set context=3", "set context=x", "set"], [true, true, true, false, false, false, true, false, true, false, true]],
  ["reset", ["query info", "reset", "next"], [true, true, false]],
  ["chunks", ["chunks"], [true]],
  ["chunk", ["chunk {c0}", "chunk {c2}", "chunk", "chunk abc", "chunk 01950000-0000-7000-8000-000000000000"], [true, true, false, false, false]],
  ["indexes", ["indexes {c0}", "indexes {c2}", "indexes"], [true, true, false]],
  ["analyze", ["analyze", "analyze {c1}", "analyze {c2}", "analyze zzz"], [true, true, true, false]],
  ["stats", ["stats"], [true]],
  ["status", ["status", "receivers"], [true, true]],
  ["help", ["help", "?"], [true, true]],
  ["json", ["set output=json", "query disk OR timeout", "chunk {c0}", "stats"], [true, true, true, true]],
  ["errors", ["frobnicate", "query \"unterminated", "exit"], [false, false, true]],
];

for (const [name, script, expected] of CASES) {
  test(`repl ${name} matches test/golden/repl-${name}.txt`, async () => {
    const t = new Transcript(fx.transport);
    const lines = script.map((l) => l.replace(/\{c(\d)\}/g, (_, i) => ids[Number(i)]!));
    const ok = await t.run(lines);
    const { got, want } = transcriptGolden(name, t.text);
    expect({ ok, text: got }).toEqual({ ok: expected, text: want });
  });
}

/** Config and retention over the server's engine with a memory config store, in this order. */
const CONFIG_CASES: [string, string[], boolean[]][] = [
  [
    "config",
    [
      "config history",
      "config set server.logLevel=debug -m \"more logs\"",
      "config set server.logLevel=debug",
      'config set stores[tmp]={"type": "memory", "route": "env=test"}',
      "config set server.logLevel=loud",
      "config history",
      "config diff 1",
      "config diff 2 3",
      "config rollback 1 -m undo",
      "config show 2",
      "config history 2",
      "config diff x",
      "config frobnicate",
    ],
    [true, true, true, true, false, true, true, true, true, true, true, false, false],
  ],
  [
    "retention",
    [
      "retention",
      "retention set default maxChunks=1 maxAge=7d -m \"keep one\"",
      "retention set nope maxAge=1d",
      "retention set default",
      "retention sweep default",
      "retention sweep nope",
      "chunks",
      "config export",
    ],
    [true, true, false, false, true, false, true, true],
  ],
];

for (const [name, script, expected] of CONFIG_CASES) {
  test(`repl ${name} matches test/golden/repl-${name}.txt`, async () => {
    const t = new Transcript(cfx.transport);
    const ok = await t.run(script);
    const { got, want } = transcriptGolden(name, t.text);
    expect({ ok, text: got }).toEqual({ ok: expected, text: want });
  });
}

test("repl follow matches test/golden/repl-follow.txt: only new matching records (also as rows of | fields), then stopped", async () => {
  const t = new Transcript(fx.transport);
  const abort = new AbortController();
  t.text += "> follow error\n";
  const running = runLine(t.session, "follow error", abort.signal);
  await t.waitFor("--- Following");
  const ingest = createClient(IngestService, fx.transport);
  const later = (i: number, raw: string) => {
    const r = fixtureRecord(100 + i, raw, { host: "web-9" });
    return { raw: r.raw, attrs: r.attrs, sourceTsUs: BigInt(r.sourceTs), ingestTsUs: BigInt(r.ingestTs) };
  };
  await ingest.append({ store: "default", records: [later(0, "INFO all good"), later(1, "ERROR follow me"), later(2, "ERROR and me too")] });
  await t.waitFor("and me too");
  abort.abort();
  expect(await running).toBe(true);
  // With | where and | fields: rows of the named fields, renamed, for new matches only.
  const line = "follow error | where -too | fields _time, host, _raw | rename _raw as text";
  t.text += `> ${line}\n`;
  const abort2 = new AbortController();
  const rows = runLine(t.session, line, abort2.signal);
  await t.waitFor("_time  host  text");
  await ingest.append({ store: "default", records: [later(3, "ERROR once more"), later(4, "ERROR me too"), later(5, "ERROR last one")] });
  await t.waitFor("last one");
  abort2.abort();
  expect(await rows).toBe(true);
  const { got, want } = transcriptGolden("follow", t.text);
  expect(got).toBe(want);
});
