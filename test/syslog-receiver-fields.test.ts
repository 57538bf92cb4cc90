/**
 * Field queries over records the real syslog receiver took in (TCP and UDP; RFC 5424 with and
 * without structured data, RFC 3164 with and without PRI or PID, nil fields, mixed case, a host
 * past the 64-byte value cap, malformed and non-ASCII headers) into a file store whose chunks
 * seal with every index: the header is both the receiver's attributes (`hostname`, `app_name`,
 * `severity`...) and the syslog format index's fields (`hostname`, `app`, `severity`...), and
 * every query returns exactly the records the scan oracle finds, with the key=value step
 * answered from the indexes on sealed chunks where they hold the key exactly.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import dgram from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LogRecord } from "../src/core/record.ts";
import { indexSectionBuilders } from "../src/index/builders.ts";
import { storeAppender } from "../src/ingest/pipeline/appender.ts";
import { IngestPipeline } from "../src/ingest/pipeline/pipeline.ts";
import { createReceiver } from "../src/ingest/receivers/registry.ts";
import type { Receiver } from "../src/ingest/receivers/receiver.ts";
import { searchSource } from "../src/app/search-source.ts";
import { explain } from "../src/query/engine/explain.ts";
import { search } from "../src/query/engine/search.ts";
import type { SearchSource } from "../src/query/engine/source.ts";
import { parseExpr } from "../src/query/lang/parser.ts";
import { openFileStore } from "../src/storage/file/open-store.ts";
import type { FileStore } from "../src/storage/file/file-store.ts";
import { oracleMatches } from "./support/oracle.ts";
import { until } from "./support/until.ts";

/** Message templates; `i` varies hosts, ids and SD values. */
const TEMPLATES: ((i: number) => string)[] = [
  (i) => `<134>1 2026-01-15T10:00:00.${String(i).padStart(6, "0")}Z web-0${i % 3} nginx ${1000 + (i % 4)} ID47 [origin ip="10.0.0.${i % 5}"][meta seq="${i}"] GET /api/${i}`,
  (i) => `<165>1 2026-01-15T10:00:01Z web-0${i % 2} myproc 8710 - - no structured data ${i}`,
  (i) => `<13>1 2026-01-15T10:00:02Z - - - - - nil header fields ${i}`,
  (i) => `<38>Mar  1 10:00:00 ${i % 2 ? "Host-3" : "host-3"} sshd[${4240 + (i % 3)}]: Connection closed by 10.0.0.${i}`,
  (i) => `<86>Mar  1 10:00:00 host-${i % 4} cron: job ${i} done`,
  (i) => `Mar  1 10:00:00 host-4 sudo: no PRI ${i}`,
  (i) => `<30>2024-03-01T00:00:00.123+01:00 web-1 nginx[${i % 2}]: GET /rfc3339 ${i}`,
  (i) => `<11>Mar  1 10:00:00 ${"h".repeat(70)} app${i % 2}: host past the value cap`,
  (i) => `<999>garbage ${i}`,
  (i) => `no syslog header at all ${i} level=err`,
  (i) => `<34>1 2003-10-11T22:14:15.003Z brokensd app - ID1 [bad sd ${i}`,
  (i) => `<13>Feb  5 17:32:18 h\u00e9${i % 2} a: non-ASCII host`,
];
const ROUNDS = 24;

const QUERIES = [
  "hostname=web-01",
  "hostname=WEB-01",
  "hostname=host-3",
  "hostname=*",
  "app=sshd",
  "app_name=sshd",
  "app=nginx",
  "pid=4241",
  "proc_id=4241",
  "msgid=id47",
  "msg_id=ID47",
  "severity=3",
  "severity=err",
  "severity_name=err",
  "severity<=3",
  "severity>5",
  "facility=4",
  "facility_name=auth",
  "facility_name=local0 hostname=web-02",
  "*=local0",
  "*=sshd",
  "*=id1",
  "app=*",
  "msgid=*",
  "sd.origin.ip=10.0.0.1",
  "sd.meta.seq=7",
  "parse_error=*",
  "host=web-01",
  "level=err",
  "app=app1 OR hostname=brokensd",
  "app=cron -facility=9",
  "hostname=h*",
];

let dir = "";
let store: FileStore;
let src: SearchSource;
let all: { id: string; pos: number; record: LogRecord }[] = [];

async function sendAll(r: Receiver): Promise<number> {
  const url = (scheme: string) => r.stats().listening.find((u) => u.startsWith(`${scheme}://`))!;
  const port = (scheme: string) => Number(url(scheme).slice(url(scheme).lastIndexOf(":") + 1));
  const tcpLines: string[] = [];
  const udp = dgram.createSocket("udp4");
  let n = 0;
  for (let i = 0; i < ROUNDS; i++) {
    for (const [t, template] of TEMPLATES.entries()) {
      const line = template(i);
      n++;
      if ((i + t) % 3 === 0) await new Promise<void>((resolve, reject) => udp.send(line, port("udp"), "127.0.0.1", (e) => (e ? reject(e) : resolve())));
      else tcpLines.push(line);
    }
  }
  udp.close();
  const socket = await Bun.connect({ hostname: "127.0.0.1", port: port("tcp"), socket: { data() {} } });
  socket.write(tcpLines.map((l) => `${l}\n`).join(""));
  socket.end();
  return n;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "syslog-fields-"));
  store = await openFileStore(join(dir, "s"), { rotation: { maxRecords: 60 }, sectionBuilders: indexSectionBuilders(), durability: { kind: "never" } });
  const pipeline = new IngestPipeline(storeAppender(store));
  const receiver = createReceiver({ type: "syslog", id: "sys", listen: ["tcp://127.0.0.1:0", "udp://127.0.0.1:0"] }, { pipeline });
  await receiver.start();
  const n = await sendAll(receiver);
  await until(() => receiver.stats().messages === n, { what: `${n} messages received` });
  await receiver.stop();
  await pipeline.drain();
  await store.idle();
  src = searchSource("default", store);
  for (const c of store.chunks()) {
    const r = store.open(c.id);
    for (let p = 0; p < r.count(); p++) all.push({ id: c.id, pos: p, record: r.record(p) });
    r.close();
  }
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function results(query: string): Promise<string[]> {
  const out: string[] = [];
  const it = search(src, { expr: parseExpr(query), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
  for (let r = await it.next(); !r.done; r = await it.next()) out.push(`${r.value.ref.chunk}:${r.value.ref.pos}`);
  return out;
}

describe("syslog receiver records, sealed", () => {
  test("every message is stored, most chunks sealed with indexes, both header forms present", () => {
    expect(all.length).toBe(ROUNDS * TEMPLATES.length);
    expect(store.chunks().filter((c) => c.state === "sealed" && c.indexStatus !== "none").length).toBeGreaterThanOrEqual(4);
    const web = all.find((a) => a.record.attrs.app_name === "nginx")!.record.attrs;
    expect({ app_name: web.app_name, facility_name: web.facility_name, severity: web.severity, msg_id: web.msg_id, receiver: web.receiver }).toEqual({ app_name: "nginx", facility_name: "local0", severity: "6", msg_id: "ID47", receiver: "sys" });
  });

  test.each(QUERIES)("%s: the records the scan oracle finds", async (query) => {
    const expr = parseExpr(query);
    const want = all.filter((a) => oracleMatches(expr, a.record)).map((a) => `${a.id}:${a.pos}`);
    expect(await results(query)).toEqual(want);
  });

  test("header fields are answered from the indexes on sealed chunks, but for an overflowed key", async () => {
    const got: Record<string, string[]> = {};
    for (const query of ["hostname=web-01", "app=sshd", "app_name=sshd", "severity=3", "facility_name=auth", "*=local0", "msgid=*"]) {
      const plan = await explain(src, { expr: parseExpr(query), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
      got[query] = [...new Set(plan.chunks.filter((c) => c.sealed).map((c) => c.scanMode))].sort();
    }
    // A host past the 64-byte value cap (one per chunk here) leaves the syslog index's `hostname`
    // overflowed: its lookups, and value-only ones, scan.
    expect(got).toEqual({
      "hostname=web-01": ["sequential"],
      "app=sshd": ["index-driven"],
      "app_name=sshd": ["index-driven"],
      "severity=3": ["index-driven"],
      "facility_name=auth": ["index-driven"],
      "*=local0": ["sequential"],
      "msgid=*": ["index-driven"],
    });
  });
});
