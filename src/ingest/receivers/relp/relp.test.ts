/**
 * RELP: frame grammar, the session replayed from a real omrelp capture (our replies must match
 * imrelp's bytes except the software string), acks only after durability, failed appends,
 * duplicates after a lost connection, and fuzzing of the frame parser.
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { RecordInput } from "../../../core/record.ts";
import { ReceiverCounters } from "../../pipeline/counters.ts";
import { IngestPipeline } from "../../pipeline/pipeline.ts";
import { storeAppender, type Appender } from "../../pipeline/appender.ts";
import { capture, tempStore, text, until } from "../../test-support.ts";
import { SyslogRecords } from "../syslog/records.ts";
import { RelpFrameParser } from "./frame.ts";
import { ResendTracker } from "./resend.ts";
import { RelpSession } from "./session.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function frames(input: Uint8Array, splitAt: number[] = []): { txnr: number; command: string; data: string }[] | string {
  const out: { txnr: number; command: string; data: string }[] = [];
  let err = "";
  const p = new RelpFrameParser(1 << 20);
  const sink = {
    frame: (txnr: number, command: string, b: Uint8Array, s: number, e: number) => out.push({ txnr, command, data: dec.decode(b.subarray(s, e)) }),
    error: (d: string) => (err = d),
  };
  let prev = 0;
  for (const at of [...splitAt, input.length]) {
    p.push(input.subarray(prev, at), sink);
    prev = at;
  }
  return err !== "" ? err : out;
}

describe("RELP frames", () => {
  test("grammar", () => {
    const cases: [string, ReturnType<typeof frames>][] = [
      ["1 open 3 a=b\n7 close 0\n", [{ txnr: 1, command: "open", data: "a=b" }, { txnr: 7, command: "close", data: "" }]],
      ["2 syslog 5 a\nb\nc\n", [{ txnr: 2, command: "syslog", data: "a\nb\nc" }]],
      ["x open 0\n", 'expected TXNR and SP at "x open 0\\n"'],
      ["1 open 3 abcd\n", "frame 1: expected LF after 3 data bytes"],
      ["1 open 0x", "expected LF after DATALEN 0"],
      ["1 open 9999999 x", "DATALEN 9999999 exceeds the limit of 1048576 bytes"],
    ];
    for (const [input, want] of cases) expect(frames(enc.encode(input))).toEqual(want);
  });

  test("the real omrelp stream parses the same however it is split", () => {
    const c = capture("relp/omrelp-client-to-server.bin");
    const whole = frames(c);
    expect((whole as { command: string }[]).map((f) => f.command)).toEqual(["open", "syslog", "syslog", "syslog", "syslog", "syslog", "close"]);
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: c.length - 1 }), { maxLength: 8 }), (cuts) => {
      expect(frames(c, cuts.sort((a, b) => a - b))).toEqual(whole);
    }), { numRuns: 200 });
  });

  test("fuzz: random and mutated input never throws and never hangs", () => {
    const c = capture("relp/omrelp-client-to-server.bin");
    const mutated = fc.array(fc.tuple(fc.nat(c.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }).map((m) => {
      const b = c.slice();
      for (const [i, v] of m) b[i] = v;
      return b;
    });
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated), (b) => {
      const r = frames(b);
      return typeof r === "string" || Array.isArray(r);
    }), { numRuns: 1500 });
  });
});

/** A session over a real file store; replies are collected in `out`. */
async function session(appender?: (a: Appender) => Appender) {
  const temp = await tempStore();
  const counters = new ReceiverCounters();
  const drops: string[] = [];
  counters.onDrop = (reason, n, _bytes, detail) => drops.push(`${reason} ${n}: ${detail}`);
  const pipeline = new IngestPipeline(appender ? appender(storeAppender(temp.store)) : storeAppender(temp.store));
  const out: string[] = [];
  let ended = false;
  const resends = new ResendTracker();
  const mk = () =>
    new RelpSession({
      io: { write: (s) => out.push(s), end: () => (ended = true) },
      records: new SyslogRecords("relp1", counters, pipeline, 0),
      pipeline,
      counters,
      resends,
      remote: "127.0.0.1",
      software: "gastrolog,test,x",
      maxData: 1 << 20,
      clock: () => 1,
    });
  return { temp, counters, pipeline, out, drops, mk, ended: () => ended, resends };
}

describe("RELP session", () => {
  test("replaying omrelp's capture gives imrelp's replies, acks after durability", async () => {
    const s = await session();
    await using _t = s.temp;
    const sess = s.mk();
    sess.data(capture("relp/omrelp-client-to-server.bin"));
    expect(s.out).toEqual([expect.stringMatching(/^1 rsp/)]);
    await until(() => s.ended());
    const imrelp = dec.decode(capture("relp/imrelp-server-to-client.bin")).replace("relp_software=librelp,1.11.0,http://librelp.adiscon.com", "relp_software=gastrolog,test,x").replace("1 rsp 93", `1 rsp ${93 - "librelp,1.11.0,http://librelp.adiscon.com".length + "gastrolog,test,x".length}`);
    expect(s.out.join("")).toBe(imrelp);
    expect(s.ended()).toBe(true);
    expect(s.temp.records().map((r) => [text(r), r.attrs.app_name])).toEqual([1, 2, 3, 4, 5].map((i) => [expect.stringMatching(new RegExp(`burst ${i}$`)), "relpburst"]));
    expect({ acked: s.counters.acked, stored: s.counters.stored, messages: s.counters.messages }).toEqual({ acked: 5, stored: 5, messages: 5 });
  });

  test("a failed append is answered 500 so the client resends", async () => {
    const s = await session((inner) => ({ append: (rs: RecordInput[]) => (text(rs[0]!).includes("fail") ? Promise.reject(new Error("disk full")) : inner.append(rs)) }));
    await using _t = s.temp;
    const sess = s.mk();
    sess.data(enc.encode("1 open 15 commands=syslog\n2 syslog 10 <13>1 fail\n"));
    await until(() => s.out.length === 2);
    expect(s.out.slice(1)).toEqual(["2 rsp 14 500 not stored\n"]);
    expect(s.counters.dropped("append_failed")).toBe(1);
  });

  test("commands before open end the session; unknown commands get 500", async () => {
    const s = await session();
    await using _t = s.temp;
    s.mk().data(enc.encode("1 syslog 3 abc\n"));
    expect([s.out, s.ended(), s.drops]).toEqual([[], true, ['protocol 1: RELP session from 127.0.0.1: command "syslog" before open']]);
    s.mk().data(enc.encode("1 open 15 commands=syslog\n2 starttls 0\n"));
    expect([s.out[1], s.drops[1]]).toEqual(["2 rsp 34 500 command starttls not supported\n", 'unsupported 1: RELP session from 127.0.0.1: command "starttls" not supported']);
  });

  test("messages stored but possibly unacked when the connection dies are counted when resent", async () => {
    const s = await session();
    await using _t = s.temp;
    const msg = (i: number) => `<13>1 - h app - - - msg ${i}`;
    const frame = (txnr: number, m: string) => `${txnr} syslog ${m.length} ${m}\n`;
    const first = s.mk();
    first.data(enc.encode("1 open 15 commands=syslog\n" + frame(2, msg(1)) + frame(3, msg(2))));
    await s.pipeline.drain();
    first.lost();
    await until(() => s.resends.size === 2);
    const second = s.mk();
    second.data(enc.encode("1 open 15 commands=syslog\n" + frame(2, msg(1)) + frame(3, msg(2)) + frame(4, msg(3))));
    await s.pipeline.drain();
    expect({ duplicates: s.counters.duplicates, stored: s.temp.records().length }).toEqual({ duplicates: 2, stored: 5 });
  });
});
