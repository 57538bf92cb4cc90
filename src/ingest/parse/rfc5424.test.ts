/** RFC 5424 parser: table cases, the go-syslog valid/invalid vector set, and properties. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { sharedFixture } from "../test-support.ts";
import { parseRfc5424 } from "./rfc5424.ts";
import { emptySyslogMessage, type SyslogMessage } from "./syslog-message.ts";

const enc = new TextEncoder();

function parse(s: string | Uint8Array): { ok: boolean; m: SyslogMessage; msg: string } {
  const b = typeof s === "string" ? enc.encode(s) : s;
  const m = emptySyslogMessage();
  const ok = parseRfc5424(b, 0, b.length, m);
  return { ok, m, msg: new TextDecoder().decode(b.subarray(m.msgStart)) };
}

describe("rfc5424 table", () => {
  test("RFC examples and client captures", () => {
    const cases: [string, Partial<SyslogMessage>, string][] = [
      [
        "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \u{feff}'su root' failed",
        { pri: 34, version: 1, ts: Date.UTC(2003, 9, 11, 22, 14, 15, 3) * 1000, hostname: "mymachine.example.com", appName: "su", procId: "", msgId: "ID47", sd: [], bom: true, error: "" },
        "'su root' failed",
      ],
      [
        "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time",
        { pri: 165, ts: Date.UTC(2003, 7, 24, 12, 14, 15) * 1000 + 3, hostname: "192.0.2.1", appName: "myproc", procId: "8710", msgId: "", bom: false },
        "%% It's time",
      ],
      [
        '<13>1 2026-11-26T20:33:05.249436+00:00 vm myapp - ID47 [timeQuality tzKnown="1" isSynced="0"][exampleSDID@32473 iut="3" eventSource="Application"] hello',
        {
          msgId: "ID47",
          sd: [
            { id: "timeQuality", name: "tzKnown", value: "1" },
            { id: "timeQuality", name: "isSynced", value: "0" },
            { id: "exampleSDID@32473", name: "iut", value: "3" },
            { id: "exampleSDID@32473", name: "eventSource", value: "Application" },
          ],
        },
        "hello",
      ],
      ['<29>2 2016-01-15T01:00:43Z h S p - [meta e="\\]\\"\\\\" f=""][x]', { sd: [{ id: "meta", name: "e", value: ']"\\' }, { id: "meta", name: "f", value: "" }, { id: "x", name: "", value: "" }] }, ""],
      ["<0>1 - - - - - -", { pri: 0, ts: 0, hostname: "", appName: "" }, ""],
      ["<191>999 - - - - - - ", { pri: 191, version: 999 }, ""],
    ];
    for (const [input, want, msg] of cases) {
      const r = parse(input);
      expect({ ok: r.ok, msg: r.msg }).toEqual({ ok: true, msg });
      expect(r.m).toMatchObject(want);
    }
  });

  test("errors name the position and keep a valid header", () => {
    const r = parse('<165>1 2003-10-11T22:14:15.003Z host app - ID47 [a b= "c"] the msg');
    expect({ ok: r.ok, format: r.m.format, host: r.m.hostname, msg: r.msg, error: r.m.error }).toEqual({
      ok: false,
      format: "rfc5424",
      host: "host",
      msg: "the msg",
      error: "invalid RFC 5424 at byte 52: expected =\" after PARAM-NAME",
    });
    const bad = parse("<165>1 2003-13-11T22:14:15Z h a p m -");
    expect({ ok: bad.ok, format: bad.m.format, error: bad.m.error }).toEqual({ ok: false, format: "none", error: "invalid RFC 5424 at byte 7: invalid TIMESTAMP date" });
  });
});

describe("go-syslog RFC 5424 vectors", () => {
  const path = sharedFixture("vectors/go-syslog-rfc5424-cases.json");
  test.skipIf(!path)("valid/invalid verdicts match (needs ../shared/fixtures)", () => {
    const data = JSON.parse(readFileSync(path!, "utf8")) as { cases: { input_b64: string; valid: boolean }[] };
    expect(data.cases.length).toBe(135);
    const wrong: string[] = [];
    for (const c of data.cases) {
      const bytes = Buffer.from(c.input_b64, "base64");
      if (parse(new Uint8Array(bytes)).ok !== c.valid) wrong.push(`${c.valid ? "valid" : "invalid"}: ${JSON.stringify(bytes.toString())}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("rfc5424 properties", () => {
  test("never throws on arbitrary bytes and msgStart stays in range", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const m = emptySyslogMessage();
        parseRfc5424(b, 0, b.length, m);
        return m.msgStart >= 0 && m.msgStart <= b.length;
      }),
      { numRuns: 2000 },
    );
  });

  const name = fc.stringMatching(/^[!#-<>-\\^-~]{1,32}$/);
  // "-" alone is the NILVALUE (an empty hostname), so it cannot round-trip as a host name.
  const printable = fc.stringMatching(/^[!-~]{1,40}$/).filter((h) => h !== "-");
  test("generated valid messages round-trip", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 191 }),
        fc.date({ min: new Date("1971-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true }),
        printable,
        fc.uniqueArray(fc.tuple(name, name, fc.string({ maxLength: 20 })), { maxLength: 4, selector: (t) => t[0] }),
        fc.string({ maxLength: 50 }),
        (pri, date, host, sd, msg) => {
          const sdText = sd.length === 0 ? "-" : sd.map(([id, n, v]) => `[${id} ${n}="${v.replace(/(["\\\]])/g, "\\$1")}"]`).join("");
          const r = parse(`<${pri}>1 ${date.toISOString()} ${host} app - - ${sdText} ${msg}`);
          expect(r.ok).toBe(true);
          expect({ pri: r.m.pri, ts: r.m.ts, host: r.m.hostname, sd: r.m.sd, msg: r.msg }).toEqual({
            pri,
            ts: date.getTime() * 1000,
            host,
            sd: sd.map(([id, n, v]) => ({ id, name: n, value: v })),
            msg: msg.startsWith("\u{feff}") ? msg.slice(1) : msg,
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
