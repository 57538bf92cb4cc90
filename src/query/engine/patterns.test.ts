/**
 * Comparisons, globs and regexes end to end over sealed (indexed) and active chunks: the
 * records each spec example finds, and what explain says about the index steps (key narrowing,
 * prefix range scans, a regex's extracted literals, runtime for the rest).
 */

import { beforeAll, describe, expect, test } from "bun:test";
import { indexSectionBuilders } from "../../index/builders.ts";
import { openChunkIndexes } from "../../index/open.ts";
import { ByteCache } from "../../storage/byte-cache.ts";
import { createMemoryStore } from "../../storage/memory/memory-store.ts";
import type { ChunkStore } from "../../storage/types.ts";
import { parseExpr } from "../lang/parser.ts";
import { explain } from "./explain.ts";
import { search } from "./search.ts";
import type { SearchSource } from "./source.ts";

const enc = new TextEncoder();
const LINES: Array<[string, Record<string, string>]> = [
  ["GET /a status=200 bytes=512 latency_ms=12 level=info", {}],
  ["GET /b status=503 bytes=2048 latency_ms=300 level=error", {}],
  ["POST /c status=500 bytes=10 latency_ms=251 level=ERROR", {}],
  ["ERROR connection refused by peer", { host: "web-1" }],
  ["error: connect refused after 3 tries", { host: "web-2" }],
  ["timeout waiting for user Bob", { host: "db-1", status: "404" }],
  ["com.example.controller failed user.id=123", {}],
  ["errno=111 ReadTimeout on socket", { level: "debug" }],
  ["user_id=0 usr ok", { env: "prod" }],
  ["bcd and acx cafe", {}],
];
let src: SearchSource;

beforeAll(async () => {
  const store: ChunkStore = createMemoryStore("default", { rotation: { maxRecords: 10 }, sectionBuilders: indexSectionBuilders() });
  // Two sealed chunks and one active one, the same lines in each.
  for (let round = 0; round < 3; round++) {
    await store.append(LINES.map(([raw, attrs], i) => ({ raw: enc.encode(raw), attrs, sourceTs: 0, ingestTs: 1_000_000 * (round * 10 + i + 1) })));
  }
  await store.idle();
  src = { name: "default", store, indexes: (v, m) => openChunkIndexes(v, m.indexStatus, { cache: new ByteCache(), key: `${m.id}/` }) };
});

/** Line numbers (into LINES) of the hits, from the first round (all rounds are checked equal). */
async function lines(query: string): Promise<number[]> {
  const it = search(src, { expr: parseExpr(query), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
  const found: number[] = [];
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    found.push(LINES.findIndex(([raw]) => raw === new TextDecoder().decode(r.value.record.raw)));
  }
  const first = found.slice(0, found.length / 3);
  expect(found).toEqual([...first, ...first, ...first]);
  return first;
}

describe("new predicates find what the spec says", () => {
  test.each([
    ["status>=500", [1, 2]],
    ["bytes<1024", [0, 2]],
    ["latency_ms>250", [1, 2]],
    ["level!=debug", [0, 1, 2]],
    ["level>=error", [0, 1, 2]],
    ["status>=404", [1, 2, 5]],
    ["user.id!=0", [6]],
    ["user_id!=0", []],
    ["err*", [1, 2, 3, 4, 7]],
    ["*timeout", [5, 7]],
    ["us?r", [5, 6]],
    ["[ab]c*", [9]],
    ["com*controller", [6]],
    ["host=web-*", [3, 4]],
    ["err*=*", [7]],
    ["*=err*", [1, 2]],
    ["lev*=ERR*", [1, 2]],
    ["/connect(ion)? refused/", [3, 4]],
    ["/(?-i)ERROR/", [2, 3]],
    ["/^get /", [0, 1]],
    ["/status=5\\d\\d/", [1, 2]],
    ["/a\\/b|\\/c /", [2]],
  ])("%p", async (query, expected) => {
    expect(await lines(query)).toEqual(expected);
  });
});

/** The steps explain shows for `query` on the first (sealed) chunk. */
async function steps(query: string) {
  const plan = await explain(src, { expr: parseExpr(query), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
  return plan.chunks[0]!.branches[0]!.steps.map((s) => ({ index: s.index, action: s.action, reason: s.reason, details: s.details }));
}

describe("explain", () => {
  test("a regex is planned from the tokens its literals imply", async () => {
    expect(await steps("/connect(ion)? refused/")).toEqual([
      { index: "token", action: "indexed", reason: "indexed", details: `literals "connect", " refused"; narrowed by tokens (refused* OR refu) (prefix 'refused': 1 terms, 2 records; token=0), regex checked by scan` },
    ]);
    expect(await steps("/(a|b)/")).toEqual([{ index: "token", action: "runtime", reason: "no_index", details: "no required literal in the pattern: scan" }]);
    expect(await steps("/errno=\\d+/")).toEqual([{ index: "token", action: "runtime", reason: "no_index", details: `literals "errno=": none starts an indexable token: scan` }]);
  });

  test("a regex's literals narrow by the intersection of their tokens; an optional one never narrows", async () => {
    // "level" (3 records) and "error*" (4) intersect to the 2 records holding both.
    expect(await steps("/ level=error/")).toEqual([
      { index: "token", action: "indexed", reason: "indexed", details: `literals " level=error"; narrowed by tokens level AND error* (token=3; prefix 'error': 1 terms, 4 records), regex checked by scan` },
    ]);
    const plan = await explain(src, { expr: parseExpr("/ level=error/"), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
    expect(plan.chunks[0]!.branches[0]!.steps[0]!).toMatchObject({ before: 10, after: 2 });
    expect(await lines("/ level=error/")).toEqual([1, 2]);
    // "connection" is optional (connect(ion)?): only "refused" narrows, and both spellings match.
    expect(await lines("/connect(ion)? refused/")).toEqual([3, 4]);
    expect(await steps("/(peer )?refused by/")).toEqual([
      { index: "token", action: "indexed", reason: "indexed", details: `literals "refused by"; narrowed by tokens by* (prefix 'by': 2 terms, 4 records), regex checked by scan` },
    ]);
    // RE2 matches k and s to the Kelvin sign and the long s too (no token characters): "socket"
    // narrows as one of the tokens each spelling leaves (before, the s and k cut it out).
    expect(await steps("/ReadTimeout on socket/")).toEqual([
      {
        index: "token",
        action: "indexed",
        reason: "indexed",
        details: `literals "ReadTimeout on socket"; narrowed by tokens on AND (socket* OR ocket* OR oc OR soc) (token=1; prefix 'socket': 1 terms, 1 records; prefix 'ocket': 0 terms, 0 records; token=0; token=0), regex checked by scan`,
      },
    ]);
  });

  test("a prefix glob is a range scan of the token dictionary; other globs scan", async () => {
    expect(await steps("err*")).toEqual([{ index: "token", action: "indexed", reason: "indexed", details: "prefix 'err': 2 terms, 5 records" }]);
    const plan = await explain(src, { expr: parseExpr("tim*"), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
    expect(plan.chunks[0]!.runtimeFilter).toBe("none"); // exact: the hits need no check
    expect(await steps("*timeout")).toEqual([{ index: "token", action: "runtime", reason: "no_prefix", details: "not a prefix glob: scan" }]);
    // Completions of "ca" may be hex words the token index drops (cafe): never "no match".
    expect(await steps("ca*")).toEqual([{ index: "token", action: "runtime", reason: "no_prefix", details: "prefix 'ca' may be in unindexed words: scan" }]);
  });

  test("comparisons are answered by the indexed values of the key (exact when no record also holds a failing one)", async () => {
    expect(await steps("status>=500")).toEqual([{ index: "kv", action: "indexed", reason: "indexed", details: "attr_values=0 msg_values=2 (values of 'status' >= 500, one value per record: exact)" }]);
    expect(await steps("status>=404")).toEqual([{ index: "kv", action: "indexed", reason: "indexed", details: "attr_values=1 msg_values=2 (values of 'status' >= 404, one value per record: exact)" }]);
    expect(await steps("nokey>1")).toEqual([{ index: "kv", action: "skipped", reason: "no_match", details: "attr_values=0 msg_values=0 (values of 'nokey' > 1, one value per record: exact)" }]);
    const plan = await explain(src, { expr: parseExpr("status>=500"), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
    expect(plan.chunks[0]!.runtimeFilter).toBe("none"); // exact: no block is read to check
  });
});

describe("format fields: JSON, access log, syslog, logfmt", () => {
  const JSON_LINES = [
    '{"level":"error","user":{"id":123},"tags":["production","eu"],"request":{"headers":{"content-type":"application/json"}},"status":503}',
    '{"level":"info","user":{"id":0},"tags":["staging"],"status":200,"msg":"ok"}',
    'app[7]: {"level":"warn","user":{"id":42},"status":404,"note":""}',
    "level=debug not json status=500",
    '10.0.0.1 - - [17/May/2015:10:05:03 +0000] "POST /login HTTP/1.1" 502 17 "-" "curl/8"',
    "<11>Feb  5 17:32:18 gw sshd[42]: auth failure",
    'level=warn msg="user created" duration_ms=12',
    '{"status":200,"code":7} retried: status=503 code=9',
    '{"ratio":1.0,"trace":12345678901234567890,"big":1e3}',
  ];
  let json: SearchSource;
  beforeAll(async () => {
    const store: ChunkStore = createMemoryStore("json", { rotation: { maxRecords: 7 }, sectionBuilders: indexSectionBuilders() });
    await store.append(JSON_LINES.map((l, i) => ({ raw: enc.encode(l), attrs: {}, sourceTs: 0, ingestTs: i + 1 })));
    await store.append(JSON_LINES.map((l, i) => ({ raw: enc.encode(l), attrs: {}, sourceTs: 0, ingestTs: i + 10 })));
    await store.idle();
    json = { name: "json", store, indexes: (v, m) => openChunkIndexes(v, m.indexStatus, { cache: new ByteCache(), key: `${m.id}/` }) };
  });

  async function jsonLines(query: string): Promise<number[]> {
    const it = search(json, { expr: parseExpr(query), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
    const found: number[] = [];
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      found.push(JSON_LINES.indexOf(new TextDecoder().decode(r.value.record.raw)));
    }
    return found.slice(0, found.length / 2);
  }

  test.each([
    ["level=error", [0]],
    ["user.id=123", [0]],
    ["tags[]=production", [0]],
    ["request.headers.content-type=application/json", [0]],
    ["status>=500", [0, 3, 4]],
    ["user.id!=0", [0, 2]],
    ["level=WARN", [2, 6]],
    ["note=*", [2]],
    ['note=""', [2]],
    ["tags[]=*", [0, 1]],
    ["*=staging", [1]],
    ["tags[]=prod*", [0]],
    ["method=POST", [4]],
    ["bytes<100", [4]],
    ["user_agent=curl*", [4]],
    ["severity<=3", [5]],
    ["severity_name=err", [5]],
    ["app=sshd", [5]],
    ["pid=42", [5]],
    ['msg="user created"', [6]],
    ["duration_ms<20", [6]],
    // The JSON field resolves before the key=value pair: the record holds a passing and a failing value.
    ["status>=503", [0]],
    ["status<300", [1, 7]],
    ["code>8", []],
    // JSON numbers are their text as written (not JavaScript's: 1, 12345678901234567000, 1000).
    ["ratio=1.0", [8]],
    ["ratio=1", []],
    ["ratio>=1", [8]],
    ["trace=12345678901234567890", [8]],
    ["trace=12345678901234567000", []],
    ["big=1e3", [8]],
    ["big=1000", []],
  ])("%p", async (query, expected) => {
    expect(await jsonLines(query)).toEqual(expected);
  });

  test("explain names the JSON index", async () => {
    const plan = await explain(json, { expr: parseExpr("user.id=123"), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
    expect(plan.chunks[0]!.branches[0]!.steps[0]!.details).toBe("attr_kv=0 msg_kv=0 json_kv=1");
    const clf = await explain(json, { expr: parseExpr("method=POST"), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
    expect(clf.chunks[0]!.branches[0]!.steps[0]!.details).toBe("attr_kv=0 msg_kv=0 clf_kv=1");
    const empty = await explain(json, { expr: parseExpr('note=""'), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
    expect(empty.chunks[0]!.branches[0]!.steps[0]!).toMatchObject({ action: "runtime", reason: "value_not_indexed" });
  });
});

describe("RE2's case folding beyond ASCII", () => {
  /** A store whose first chunk (`raws`) is sealed and indexed; `found` searches it. */
  async function sealedStore(raws: string[]) {
    const store: ChunkStore = createMemoryStore("fold", { rotation: { maxRecords: raws.length }, sectionBuilders: indexSectionBuilders() });
    await store.append(raws.map((r, i) => ({ raw: enc.encode(r), attrs: {}, sourceTs: 0, ingestTs: i + 1 })));
    await store.append([{ raw: enc.encode("next chunk"), attrs: {}, sourceTs: 0, ingestTs: 100 }]); // seals the first
    await store.idle();
    const fold: SearchSource = { name: "fold", store, indexes: (v, m) => openChunkIndexes(v, m.indexStatus, { cache: new ByteCache(), key: `${m.id}/` }) };
    const request = (query: string) => ({ expr: parseExpr(query), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
    const found = async (query: string): Promise<string[]> => {
      const it = search(fold, request(query));
      const out: string[] = [];
      for (let r = await it.next(); !r.done; r = await it.next()) out.push(new TextDecoder().decode(r.value.record.raw));
      return out;
    };
    const action = async (query: string) => (await explain(fold, request(query))).chunks[0]!.branches[0]!.steps[0]!.action;
    return { store, found, action };
  }

  test("a regex whose literal starts with s narrows by the tokens each spelling leaves and finds them all", async () => {
    const raws = ["up \u017ftatus", "up statu\u017f", "up STATUS", "up stat", "up status-ok", "other"];
    const { found, action } = await sealedStore(raws);
    expect({ records: await found("/up status/"), action: await action("/up status/") }).toEqual({ records: raws.slice(0, 3).concat("up status-ok"), action: "indexed" });
  });

  test("a sealed chunk's index never hides a record RE2 matches through the Kelvin sign or the long s", async () => {
    const raws = ["7 freed bloc\u212a", "full di\u017fk", "8 freed block", "other"];
    const { store, found } = await sealedStore(raws);
    expect(store.chunks().map((c) => c.state)).toEqual(["sealed", "active"]);
    // The token after "freed " is "bloc" in the first record: a probe for "block*" would miss it.
    expect(await found("/\\d+ freed block/")).toEqual(["7 freed bloc\u212a", "8 freed block"]);
    expect(await found("/full disk/")).toEqual(["full di\u017fk"]);
    expect(await found("/(?-i)freed block/")).toEqual(["8 freed block"]);
  });
});
