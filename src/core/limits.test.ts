import { expect, test } from "bun:test";
import {
  DROPPED_ATTRS_ATTR,
  INVALID_SOURCE_TS_ATTR,
  enforceLimits,
  MAX_ATTR_KEY_BYTES,
  MAX_ATTR_VALUE_BYTES,
  MAX_ATTRS,
  MAX_RAW_BYTES,
  noViolations,
  TRUNCATED_ATTR,
  truncateUtf8,
} from "./limits.ts";

test("a record within limits is returned unchanged", () => {
  const input = { raw: new Uint8Array(10), attrs: { a: "b" }, sourceTs: 0, ingestTs: 1 };
  const v = noViolations();
  expect(enforceLimits(input, v)).toBe(input);
  expect(v).toEqual(noViolations());
});

test("oversize raw is truncated and the original length kept in an attr", () => {
  const v = noViolations();
  const out = enforceLimits({ raw: new Uint8Array(MAX_RAW_BYTES + 5), attrs: {}, sourceTs: 0, ingestTs: 1 }, v);
  expect(out.raw.length).toBe(MAX_RAW_BYTES);
  expect(out.attrs).toEqual({ [TRUNCATED_ATTR]: String(MAX_RAW_BYTES + 5) });
  expect(v).toEqual({ rawTruncated: 1, attrsTruncated: 0, attrsDropped: 0, sourceTsInvalid: 0 });
});

test("long keys/values are cut on character boundaries; extra attrs dropped and counted", () => {
  const attrs: Record<string, string> = {};
  for (let i = 0; i < MAX_ATTRS + 3; i++) attrs[`k${String(i).padStart(3, "0")}`] = "v";
  attrs["k000"] = "é".repeat(MAX_ATTR_VALUE_BYTES); // 2 bytes each
  attrs["k001" + "x".repeat(MAX_ATTR_KEY_BYTES)] = "v";
  const v = noViolations();
  const out = enforceLimits({ raw: new Uint8Array(1), attrs, sourceTs: 0, ingestTs: 1 }, v);
  expect(Object.keys(out.attrs).length).toBe(MAX_ATTRS + 1);
  expect(out.attrs[DROPPED_ATTRS_ATTR]).toBe("4");
  expect(out.attrs["k000"]).toBe("é".repeat(MAX_ATTR_VALUE_BYTES / 2));
  expect(v).toEqual({ rawTruncated: 0, attrsTruncated: 2, attrsDropped: 4, sourceTsInvalid: 0 });
});

test("truncateUtf8 never splits a code point", () => {
  expect(truncateUtf8("aé", 2)).toBe("a");
  expect(truncateUtf8("aé", 3)).toBe("aé");
  expect(truncateUtf8("😀😀", 5)).toBe("😀");
});

test("a sourceTs the store cannot hold becomes 0 with the original kept in an attr, counted", () => {
  const v = noViolations();
  const bad = [-1, 1.5, 2 ** 53, 1e19, Number.NaN];
  const out = bad.map((sourceTs) => enforceLimits({ raw: new Uint8Array(1), attrs: { a: "b" }, sourceTs, ingestTs: 1 }, v));
  expect(out.map((r) => [r.sourceTs, r.attrs])).toEqual(bad.map((t) => [0, { a: "b", [INVALID_SOURCE_TS_ATTR]: String(t) }]));
  expect(v).toEqual({ rawTruncated: 0, attrsTruncated: 0, attrsDropped: 0, sourceTsInvalid: bad.length });
});
