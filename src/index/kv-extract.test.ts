import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { KV_MAX_LEN, KvScanner, extractKv } from "./kv-extract.ts";

/** Example lines and their extracted pairs (key shapes, quoting, delimiters, rejects). */
const A41_ROWS: Array<[string, Array<[string, string]>]> = [
  [
    'level=INFO msg="user created" method=PUT path=/v2/accounts status=201',
    [["level", "INFO"], ["method", "PUT"], ["path", "/v2/accounts"], ["status", "201"]],
  ],
  ["Status=OK Service.Name=Auth", [["status", "OK"], ["service.name", "Auth"]]],
  [
    "ts=2024-01-15T10:30:45Z user=bob,role=admin;team=ops",
    [["ts", "2024-01-15T10:30:45Z"], ["user", "bob"], ["role", "admin"], ["team", "ops"]],
  ],
  ["(err=EOF) [code=E42] {x=y}", [["err", "EOF"], ["code", "E42"], ["x", "y"]]],
  ["url=http://h/p?a=1&b=2 next=ok", [["next", "ok"]]],
  ["a=b=c d=e", [["d", "e"]]],
  [`"quoted=no" 'q=no' k="v" k2='v2'`, []],
  ["foo-bar=1 _x=1 9a=1 a.b.c=1 a..b=1", [["_x", "1"], ["a.b.c", "1"]]],
  ["GET /x?id=42 HTTP/1.1", []],
  ['json={"a":1} after=yes', [["after", "yes"]]],
  ["k=v k=v K=v k=V", [["k", "v"], ["k", "V"]]],
  ["rate=95% p99=1.2s", [["rate", "95%"], ["p99", "1.2s"]]],
  ["name=Zoë", []],
];

/** Edge cases around the rules' boundaries. */
const EXTRA_ROWS: Array<[string, Array<[string, string]>]> = [
  ["", []],
  ["=x", []],
  ["a= b=c", [["b", "c"]]],
  ["a=", []],
  [".a=1 a.=1 a=1", [["a", "1"]]],
  ["x:k=v\tk2=v2\r\nk3=v3", [["k", "v"], ["k2", "v2"], ["k3", "v3"]]],
  ["k=(v [w {z", [["k", "(v"]]],
  [`${"k".repeat(64)}=v ${"k".repeat(65)}=v`, [["k".repeat(64), "v"]]],
  [`a=${"v".repeat(64)} b=${"v".repeat(65)}`, [["a", "v".repeat(64)]]],
  ["é=1 ék=2 k=3", [["k", "3"]]],
];

describe("extractKv", () => {
  test.each([...A41_ROWS, ...EXTRA_ROWS])("%p", (input, expected) => {
    expect({ input, pairs: extractKv(input) }).toEqual({ input, pairs: expected });
  });

  test("scanner reports raw offsets, honours the range and keeps duplicates", () => {
    const bytes = new TextEncoder().encode("zz K=v k=v end=1");
    const s = new KvScanner();
    s.reset(bytes, 3, 10);
    const got: Array<object> = [];
    while (s.next()) {
      got.push({
        key: new TextDecoder().decode(s.key.subarray(0, s.keyLength)),
        keyAt: [s.keyStart, s.keyEnd],
        valueAt: [s.valueStart, s.valueEnd],
      });
    }
    expect(got).toEqual([
      { key: "k", keyAt: [3, 4], valueAt: [5, 6] },
      { key: "k", keyAt: [7, 8], valueAt: [9, 10] },
    ]);
  });

  test("property: every pair obeys the key/value grammar and occurs in the input", () => {
    const sep = fc.constantFrom(" ", " ", ",", ";", "(", "[", "\t", "-", "?", "");
    const key = fc.constantFrom("k", "Key_9", "a.b", ".x", "9a", "é", "");
    const value = fc.constantFrom("v", "V1", "/p:q", "x=y", '"q"', "é", "a&b", "", "{", "9)");
    const item = fc.tuple(sep, key, value).map(([s, k, v]) => `${s}${k}=${v}`);
    const input = fc.array(item, { maxLength: 12 }).map((a) => a.join(""));
    fc.assert(
      fc.property(input, (input) => {
        for (const [k, v] of extractKv(input)) {
          expect(k).toMatch(/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/);
          expect(k.length).toBeLessThanOrEqual(KV_MAX_LEN);
          expect(v.length).toBeGreaterThanOrEqual(1);
          expect(v.length).toBeLessThanOrEqual(KV_MAX_LEN);
          expect(v).not.toMatch(/[{}[\]"'=&\s,;)\]}\u0080-\uffff]/);
          expect(input.toLowerCase()).toContain(`${k}=${v.toLowerCase()}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
