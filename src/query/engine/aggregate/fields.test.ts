/** Field resolution for stats and fields: timestamps, attributes (exact, then any case), format fields (JSON paths), key=value text. */

import { expect, test } from "bun:test";
import { batchFromRecords } from "../../../storage/record-batch.ts";
import { FieldReader, numeric, type FieldValue } from "./fields.ts";

const enc = new TextEncoder();
const batch = batchFromRecords(0, [
  { raw: enc.encode("GET /x status=200 Host=ignored"), attrs: { Host: "web-1" }, sourceTs: 5, ingestTs: 7, writeTs: 9 },
  { raw: enc.encode(' {"level":"warn","http":{"status":503},"n":1.5,"tags":["a"]}'), attrs: {}, sourceTs: 0, ingestTs: 8, writeTs: 10 },
  { raw: enc.encode("plain text"), attrs: {}, sourceTs: 0, ingestTs: 3, writeTs: 4 },
]);

test.each<[string, FieldValue[]]>([
  ["_time", [5, 8, 3]],
  ["source_ts", [5, undefined, undefined]],
  ["write_ts", [9, 10, 4]],
  ["host", ["web-1", undefined, undefined]],
  ["status", ["200", undefined, undefined]],
  ["level", [undefined, "warn", undefined]],
  ["http.status", [undefined, "503", undefined]],
  ["n", [undefined, "1.5", undefined]],
  ["tags[]", [undefined, "a", undefined]],
  ["_raw", ["GET /x status=200 Host=ignored", ' {"level":"warn","http":{"status":503},"n":1.5,"tags":["a"]}', "plain text"]],
])("%s", (name, want) => {
  const r = new FieldReader(name);
  expect([0, 1, 2].map((i) => r.read(batch, i))).toEqual(want);
});

test("numeric reads numbers and numeric text only", () => {
  expect([numeric(3), numeric("4.5"), numeric(" 7 "), numeric(""), numeric("x"), numeric(undefined), numeric("Infinity")]).toEqual([3, 4.5, 7, undefined, undefined, undefined, undefined]);
});
