import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { capture } from "../test-support.ts";
import { JournalExportParser, journalCursor, journalRecord, type JournalEntry } from "./journal-export.ts";

const dec = new TextDecoder();

function parse(bytes: Uint8Array, cuts: number[] = []): JournalEntry[] {
  const p = new JournalExportParser();
  const out: JournalEntry[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    p.push(bytes.subarray(prev, c), (e) => out.push(e));
    prev = c;
  }
  p.end((e) => out.push(e));
  return out;
}

/** journalctl -o json of the same entries: values are strings, or byte arrays when binary. */
function fromJson(text: string): Record<string, string | number[]>[] {
  return text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, string | number[]>);
}

describe("captured journalctl -o export (5 sources, one binary MESSAGE)", () => {
  const bytes = capture("journald/journalctl-export-5sources.bin");
  const json = fromJson(dec.decode(capture("journald/journalctl-json-5sources.ndjson")));

  test("every field equals journalctl's own JSON of the same entries, in every split", () => {
    const want = json.map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "string" ? v : `bytes:${v.join(",")}`])));
    const show = (es: JournalEntry[]) => es.map((e) => Object.fromEntries(e.map(([k, v]) => [k, k === "MESSAGE" && v.includes(1) ? `bytes:${[...v].join(",")}` : dec.decode(v)])));
    expect(show(parse(bytes))).toEqual(want);
    for (let cut = 1; cut < bytes.length; cut += 7) expect(show(parse(bytes, [cut]))).toEqual(want);
  });

  test("records: MESSAGE raw (binary-safe), realtime -> sourceTs, PRIORITY -> level, address fields left out", () => {
    const rs = parse(bytes).map((e) => journalRecord(e, { receiver: "j" }));
    const levels = ["emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"];
    expect(rs.map((r) => [dec.decode(r.raw), r.attrs.level ?? "-", r.attrs.SYSLOG_IDENTIFIER ?? "", String(r.sourceTs)])).toEqual(
      json.map((o) => [typeof o.MESSAGE === "string" ? o.MESSAGE : String.fromCharCode(...o.MESSAGE!), o.PRIORITY === undefined ? "-" : levels[Number(o.PRIORITY)]!, String(o.SYSLOG_IDENTIFIER), String(o.__REALTIME_TIMESTAMP)]),
    );
    expect(Object.keys(rs[0]!.attrs).filter((k) => k.startsWith("__") || k === "MESSAGE")).toEqual([]);
    expect(rs[0]!.attrs).toMatchObject({ receiver: "j", PRIORITY: "4", _TRANSPORT: "stdout", SYSLOG_IDENTIFIER: "jdtest", _COMM: "cat" });
  });

  test("cursor", () => expect(journalCursor(parse(bytes)[0]!)).toBe(String(json[0]!.__CURSOR)));
});

test("the captured systemd-journal-upload body parses to its six entries", () => {
  const es = parse(capture("journald/journal-upload.req0.body.bin"));
  expect(es.map((e) => dec.decode(e.find(([k]) => k === "MESSAGE")![1]))).toEqual(["hello from systemd-cat", "line a", "line b", "structured via logger --journald", "via /run/systemd/journal/dev-log", "binary\u0001field"]);
});

describe("malformed input is an error naming the problem", () => {
  const enc = new TextEncoder();
  const cases: [string, Uint8Array, string][] = [
    ["a binary field without its newline", new Uint8Array([...enc.encode("M\n"), 1, 0, 0, 0, 0, 0, 0, 0, 0x41, 0x41]), "binary field M is not followed by a newline"],
    ["an absurd binary length", new Uint8Array([...enc.encode("M\n"), 0, 0, 0, 0, 0, 0, 0, 1, 0x41, 0x0a]), "too long"],
    ["input ending inside a field", enc.encode("MESSAGE=abc"), "input ends inside a field"],
    ["an empty field name", enc.encode("=x\n\n"), "bad field name"],
  ];
  for (const [name, bytes, msg] of cases) test(name, () => expect(() => parse(bytes)).toThrow(msg));
});

test("property: text and binary fields round-trip through any chunking", () => {
  const field = fc.tuple(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), fc.uint8Array({ maxLength: 30 }));
  fc.assert(
    fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(400), { maxLength: 4 }), (entries, rawCuts) => {
      const parts: number[] = [];
      for (const e of entries) {
        for (const [k, v] of e) {
          const text = !v.includes(0x0a) && ![...v].some((b) => b < 0x20 || b > 0x7e);
          if (text) parts.push(...new TextEncoder().encode(`${k}=`), ...v, 0x0a);
          else {
            const len = new Uint8Array(8);
            new DataView(len.buffer).setBigUint64(0, BigInt(v.length), true);
            parts.push(...new TextEncoder().encode(k), 0x0a, ...len, ...v, 0x0a);
          }
        }
        parts.push(0x0a);
      }
      const bytes = new Uint8Array(parts);
      const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const got = parse(bytes, cuts).map((e) => e.map(([k, v]) => [k, [...v]]));
      expect(got).toEqual(entries.map((e) => e.map(([k, v]) => [k, [...v]])));
    }),
  );
});
