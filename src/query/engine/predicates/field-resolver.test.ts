/**
 * FieldResolver gives what the plain resolution order gives (every format walked in order, then
 * the first key=value pair), by record and by batch, for keys of every format, case variants,
 * duplicates, nested paths and records a format's needles rule out.
 */

import { describe, expect, test } from "bun:test";
import { walkFormatFields } from "../../../index/format-fields.ts";
import { extractKv } from "../../../index/kv-extract.ts";
import type { RecordBatch } from "../../../storage/types.ts";
import { FieldResolver } from "./field-resolver.ts";

const LINES = [
  '{"Level":"WARN","level":"info","user":{"id":7},"tags":["a","b"],"n":null,"ok":true,"x":1.50}',
  '{"status":200,"code":7} retried: status=503 code=9',
  'ts=1 level=debug msg="user \\"created\\"" duration_ms=12',
  '10.0.0.1 - - [17/May/2015:10:05:03 +0000] "POST /login HTTP/1.1" 502 17 "-" "curl/8"',
  "<11>Feb  5 17:32:18 gw sshd[42]: auth failure status=ok",
  "plain words STATUS=404 level=Error user_id=42",
  'app[7]: {"level":"warn","note":"","user.id":"dotted"}',
  "no fields at all",
  '{"level":{"deep":1},"LEVEL":"top"}',
];
const KEYS = ["level", "status", "code", "user.id", "user_id", "tags[]", "n", "ok", "x", "note", "msg", "duration_ms", "method", "bytes", "severity", "app", "pid", "hostname", "missing"];

const enc = new TextEncoder();

/** The resolution order spelled out: every format's fields in order, then the text's pairs. */
function expected(line: string, key: string): string | undefined {
  const data = enc.encode(line);
  let found: string | undefined;
  if (walkFormatFields(data, 0, data.length, (k, v) => (k === key ? ((found = v), true) : false))) return found;
  return extractKv(data).find(([k]) => k === key)?.[1];
}

function batchOf(lines: string[]): RecordBatch {
  const parts = lines.map((l) => enc.encode(l));
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) + 8);
  const rawOffsets = new Uint32Array(parts.length + 1);
  let at = 4; // the batch's text need not start at 0
  parts.forEach((p, i) => {
    rawOffsets[i] = at;
    data.set(p, at);
    at += p.length;
  });
  rawOffsets[parts.length] = at;
  return { data, rawOffsets, count: parts.length } as unknown as RecordBatch;
}

describe("FieldResolver", () => {
  test.each(KEYS)("key %p resolves as the plain order does, by record and by batch", (key) => {
    const resolver = new FieldResolver(key);
    const batch = batchOf(LINES);
    for (let i = 0; i < LINES.length; i++) {
      const want = expected(LINES[i]!, key);
      expect([i, resolver.value(batch.data, batch.rawOffsets[i]!, batch.rawOffsets[i + 1]!)]).toEqual([i, want]);
      expect([i, resolver.valueAt(batch, i)]).toEqual([i, want]);
    }
  });

  test("some visits every format value of the key, not only the first", () => {
    const data = enc.encode(LINES[0]!);
    const seen: string[] = [];
    const accept = (v: string): boolean => {
      seen.push(v);
      return false;
    };
    expect(new FieldResolver("level").some(data, 0, data.length, accept)).toBe(false);
    expect(seen).toEqual(["WARN", "info"]);
  });
});
