import { describe, expect, test } from "bun:test";
import { FORMAT_FIELDS, walkFormatFields } from "./format-fields.ts";
import { JSON_MAX_FIELDS } from "./json-fields.ts";

const enc = new TextEncoder();

/** Every field each format finds in `line`, as "format: key=value". */
function fields(line: string): string[] {
  const raw = enc.encode(line);
  const out: string[] = [];
  for (const f of FORMAT_FIELDS) f.walk(raw, 0, raw.length, (k, v) => void out.push(`${f.name}: ${k}=${v}`));
  return out;
}

describe("format fields", () => {
  test.each<[string, string[]]>([
    [
      '{"Level":"error","user":{"id":123},"tags":["production","eu"],"request":{"headers":{"content-type":"application/json"}},"ok":true,"n":null,"x":1.0,"items":[{"sku":"a"}],"id":12345678901234567890,"e":1e3}',
      ["level=error", "user.id=123", "tags[]=production", "tags[]=eu", "request.headers.content-type=application/json", "ok=true", "n=null", "x=1.0", "items[].sku=a", "id=12345678901234567890", "e=1e3"].map((f) => `json: ${f}`),
    ],
    ['2025-01-01T10:00:00Z app: {"a":"b"}', ["json: a=b"]],
    ['{"a": broken', []],
    ["[1, 2]", []],
    [
      '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/x.png HTTP/1.1" 200 203023 "http://semicomplete.com/" "Mozilla/5.0 (X11; \\"q\\")"',
      ["remote_addr=83.149.9.216", "timestamp=17/May/2015:10:05:03 +0000", "method=GET", "path=/presentations/x.png", "protocol=HTTP/1.1", "status=200", "bytes=203023", "referer=http://semicomplete.com/", 'user_agent=Mozilla/5.0 (X11; "q")'].map((f) => `clf: ${f}`),
    ],
    ['127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 404 -', ["remote_addr=127.0.0.1", "user=frank", "timestamp=10/Oct/2000:13:55:36 -0700", "method=GET", "path=/a.gif", "protocol=HTTP/1.0", "status=404"].map((f) => `clf: ${f}`)],
    [
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed",
      ["facility=4", "severity=2", "facility_name=auth", "severity_name=crit", "hostname=mymachine.example.com", "app=su", "msgid=ID47"].map((f) => `syslog: ${f}`),
    ],
    ["<13>Feb  5 17:32:18 10.0.0.99 myapp[1234]: hello", ["facility=1", "severity=5", "facility_name=user", "severity_name=notice", "hostname=10.0.0.99", "app=myapp", "pid=1234"].map((f) => `syslog: ${f}`)],
    ["Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure", ["syslog: hostname=combo", "syslog: app=sshd(pam_unix)", "syslog: pid=19939"]],
    ["<999>Feb  5 17:32:18 h a: x", ["syslog: hostname=h", "syslog: app=a"]],
    [
      'level=info msg="user \\"bob\\" created" Status=201 empty= path=/x',
      ["level=info", 'msg=user "bob" created', "status=201", "empty=", "path=/x"].map((f) => `logfmt: ${f}`),
    ],
    ["level=info and words", []],
    ['a="unterminated', []],
    ["plain text", []],
  ])("%p", (line, expected) => {
    expect(fields(line)).toEqual(expected);
  });

  test("a JSON record past the field limit is reported truncated", () => {
    const big = enc.encode(JSON.stringify(Object.fromEntries(Array.from({ length: JSON_MAX_FIELDS + 1 }, (_, i) => [`k${i}`, i]))));
    const json = FORMAT_FIELDS.find((f) => f.name === "json")!;
    let n = 0;
    expect(json.walk(big, 0, big.length, () => void n++)).toEqual({ stopped: false, truncated: true });
    expect(n).toBe(JSON_MAX_FIELDS);
  });

  test("walkFormatFields stops at the first field the visitor accepts, in resolution order", () => {
    const raw = enc.encode('level=warn msg="x"');
    const seen: string[] = [];
    expect(walkFormatFields(raw, 0, raw.length, (k) => (seen.push(k), k === "level"))).toBe(true);
    expect(seen).toEqual(["level"]);
  });

  test("needles: a record holding the field holds one of them (or every record is checked)", () => {
    const line = '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /x HTTP/1.1" 200 5 "-" "curl"';
    const raw = enc.encode(line);
    for (const f of FORMAT_FIELDS) {
      f.walk(raw, 0, raw.length, (k, v) => {
        const ns = f.needles(k, v);
        if (ns !== undefined) expect({ k, found: ns.some((n) => line.toLowerCase().includes(n.toLowerCase())) }).toEqual({ k, found: true });
      });
    }
    expect(FORMAT_FIELDS.find((f) => f.name === "clf")!.needles("user.id", "")).toEqual([]);
  });
});
