/** diffConfigs, renderDiff and the `config set` path edits. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { diffConfigs, renderDiff } from "./diff.ts";
import { getPath, parsePath, parseValue, setPath } from "./json-path.ts";
import { thrownMessage } from "../../test/support/outcome.ts";

describe("diffConfigs", () => {
  test("keyed arrays match by name/id; other arrays compare whole", () => {
    const a = { server: { logLevel: "info", socket: "" }, stores: [{ name: "a", route: "*" }, { name: "b", route: "+" }], receivers: [{ id: "r", listen: ["udp://h:1"] }] };
    const b = { server: { logLevel: "debug" }, stores: [{ name: "c", route: "" }, { name: "a", route: "env=prod" }], receivers: [{ id: "r", listen: ["udp://h:1", "tcp://h:1"] }], extra: 1 };
    const d = diffConfigs(a, b);
    expect(d).toEqual([
      { op: "changed", path: "server.logLevel", from: "info", to: "debug" },
      { op: "removed", path: "server.socket", value: "" },
      { op: "added", path: "stores[c]", value: { name: "c", route: "" } },
      { op: "changed", path: "stores[a].route", from: "*", to: "env=prod" },
      { op: "removed", path: "stores[b]", value: { name: "b", route: "+" } },
      { op: "changed", path: "receivers[r].listen", from: ["udp://h:1"], to: ["udp://h:1", "tcp://h:1"] },
      { op: "added", path: "extra", value: 1 },
    ]);
    expect(renderDiff(d.slice(0, 3))).toBe('~ server.logLevel: "info" -> "debug"\n- server.socket (was "")\n+ stores[c] = {"name":"c","route":""}\n');
  });

  test("property: applying the diff's changed/added leaves turns a into b for flat records", () => {
    const rec = fc.dictionary(fc.constantFrom("a", "b", "c", "d"), fc.oneof(fc.integer(), fc.string({ maxLength: 3 })));
    fc.assert(
      fc.property(rec, rec, (a, b) => {
        let doc: unknown = a;
        for (const e of diffConfigs(a, b)) doc = setPath(doc, e.path, e.op === "removed" ? null : e.op === "added" ? e.value : e.to);
        expect(doc).toEqual(b);
        expect(diffConfigs(b, b)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("config paths", () => {
  const doc = { server: { logLevel: "info" }, stores: [{ name: "prod.eu", route: "*", retention: { maxAge: "0" } }], receivers: [{ id: "sys", options: {} }] };

  test("parse, get and set by name/id", () => {
    expect(parsePath("stores[prod.eu].retention.maxAge")).toEqual([{ key: "stores", select: "prod.eu" }, { key: "retention" }, { key: "maxAge" }]);
    expect(getPath(doc, "stores[prod.eu].retention.maxAge")).toBe("0");
    expect(getPath(doc, "stores[nope].route")).toBeUndefined();
    expect(setPath(doc, "stores[prod.eu].retention.maxAge", "7d")).toEqual({ ...doc, stores: [{ name: "prod.eu", route: "*", retention: { maxAge: "7d" } }] });
    expect(setPath(doc, "receivers[sys].options.port", 514)).toEqual({ ...doc, receivers: [{ id: "sys", options: { port: 514 } }] });
    expect(setPath(doc, "stores[new]", { route: "+" })).toEqual({ ...doc, stores: [...doc.stores, { name: "new", route: "+" }] });
    expect(setPath(doc, "receivers[r2]", { type: "x" })).toEqual({ ...doc, receivers: [...doc.receivers, { id: "r2", type: "x" }] });
    expect(setPath(doc, "stores[prod.eu]", null)).toEqual({ ...doc, stores: [] });
    expect(setPath(doc, "server.logLevel", null)).toEqual({ ...doc, server: {} });
    expect(setPath({}, "server.listen", "")).toEqual({ server: { listen: "" } });
    expect(doc.server.logLevel).toBe("info");
  });

  test("bad paths and missing entries are clear errors", () => {
    expect([thrownMessage(() => parsePath("stores..x")), thrownMessage(() => parsePath("a b")), thrownMessage(() => setPath(doc, "stores[x].route", "*")), thrownMessage(() => setPath(doc, "stores[x]", null))]).toEqual([
      'bad config path "stores..x" at position 7: expected a name like stores[prod].route',
      `bad config path "a b" at position 1: expected '.'`,
      'no entry "x" in stores (known: prod.eu)',
      'no entry "x" in stores',
    ]);
  });

  test("CLI values are JSON when they parse, else text", () => {
    expect(["7d", "3", "true", "null", '{"a":1}', '"quoted"', "env=prod"].map(parseValue)).toEqual(["7d", 3, true, null, { a: 1 }, "quoted", "env=prod"]);
  });
});
