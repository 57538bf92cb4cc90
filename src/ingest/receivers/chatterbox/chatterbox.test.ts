/** Chatterbox: parameter validation, seeded generation per format, weights, delays, start/stop. */

import { describe, expect, test } from "bun:test";
import type { RecordInput } from "../../../core/record.ts";
import { ChatterboxGenerator } from "./generator.ts";
import { parseChatterboxParams } from "./params.ts";
import { ChatterboxReceiver } from "./receiver.ts";
import { Rng } from "./rng.ts";

const NOW = Date.UTC(2025, 2, 1, 10, 0, 0) * 1000;
const dec = new TextDecoder();

describe("params", () => {
  test("defaults and valid settings", () => {
    expect(parseChatterboxParams({})).toEqual({
      minInterval: 100_000,
      maxInterval: 1_000_000,
      instance: "default",
      weights: ["plain", "kv", "json", "access", "syslog", "weird"].map((format) => ({ format, weight: 1 })),
      hostCount: 10,
      serviceCount: 5,
    } as never);
    expect(parseChatterboxParams({ formats: " json , kv,json", formatWeights: "json=3", minInterval: "1ms", maxInterval: "1ms", instance: "x", hostCount: "2" })).toEqual({
      minInterval: 1000,
      maxInterval: 1000,
      instance: "x",
      weights: [{ format: "json", weight: 3 }, { format: "kv", weight: 1 }],
      hostCount: 2,
      serviceCount: 5,
    });
  });

  test("invalid settings name the parameter", () => {
    const cases: [Record<string, string>, string][] = [
      [{ formats: "json,xml" }, "chatterbox: invalid formats 'json,xml': unknown format 'xml' (known: plain, kv, json, access, syslog, weird)"],
      [{ formats: "," }, "chatterbox: invalid formats ',': no format named"],
      [{ minInterval: "2s", maxInterval: "1s" }, "chatterbox: invalid minInterval '2s': must not exceed maxInterval (1s)"],
      [{ maxInterval: "soon" }, "chatterbox: invalid maxInterval 'soon': expected a duration like 500ms, 30s, 15m, 2h, 7d or 1h30m"],
      [{ hostCount: "0" }, "chatterbox: invalid hostCount '0': expected a positive integer"],
      [{ formatWeights: "json=0" }, "chatterbox: invalid formatWeights 'json=0': expected name=positive integer pairs, e.g. json=3,plain=1"],
    ];
    for (const [p, msg] of cases) expect(() => parseChatterboxParams(p)).toThrow(msg);
  });
});

describe("generator", () => {
  test("each format has its attrs and shape; same seed, same output", () => {
    const shapes: [string, RegExp, string[]][] = [
      ["plain", /^[a-z ]+$/, ["host", "instance", "receiver", "service"]],
      ["kv", /^level=(DEBUG|INFO|WARN|ERROR) msg="[^"]+" /, ["env", "host", "instance", "receiver", "service"]],
      ["json", /^\{".*\}$/, ["env", "host", "instance", "receiver", "service"]],
      ["access", /^\d+\.\d+\.\d+\.\d+ - (-|user\d\d) \[01\/Mar\/2025:10:00:00 \+0000\] "[A-Z]+ \S+ HTTP\/1\.1" \d{3} \d+ "-" ".+"$/, ["host", "instance", "receiver", "service", "vhost"]],
      ["syslog", /^<\d+>Mar {2}1 10:00:00 host-\d+ [a-z/]+\[\d+\]: .+$/, ["facility", "host", "instance", "receiver", "service"]],
    ];
    for (const [format, re, keys] of shapes) {
      const g = new ChatterboxGenerator(parseChatterboxParams({ formats: format, instance: "t1" }), new Rng(7));
      for (let i = 0; i < 20; i++) {
        const r = g.next(NOW);
        expect(dec.decode(r.raw)).toMatch(re);
        expect([Object.keys(r.attrs).sort(), r.attrs.receiver, r.attrs.instance, r.ingestTs]).toEqual([keys, "chatterbox", "t1", NOW]);
      }
    }
    const json = new ChatterboxGenerator(parseChatterboxParams({ formats: "json" }), new Rng(1)).next(NOW);
    const keys = Object.keys(JSON.parse(dec.decode(json.raw)));
    expect(keys).toEqual([...keys].sort());
    const a = new ChatterboxGenerator(parseChatterboxParams({}), new Rng(42));
    const b = new ChatterboxGenerator(parseChatterboxParams({}), new Rng(42));
    for (let i = 0; i < 50; i++) expect(a.next(NOW)).toEqual(b.next(NOW));
  });

  test("weights steer the mix and delays stay in range", () => {
    const g = new ChatterboxGenerator(parseChatterboxParams({ formats: "plain,weird", formatWeights: "plain=9", minInterval: "10ms", maxInterval: "20ms" }), new Rng(3));
    let plain = 0;
    for (let i = 0; i < 1000; i++) if (g.pickFormat() === "plain") plain++;
    expect(plain).toBeGreaterThan(850);
    expect(plain).toBeLessThan(950);
    for (let i = 0; i < 100; i++) {
      const d = g.delay();
      expect(d >= 10_000 && d < 20_000).toBe(true);
    }
  });
});

test("receiver appends until stopped and counts failures", async () => {
  const got: RecordInput[] = [];
  let fail = true;
  let resolveEnough!: () => void;
  const enough = new Promise<void>((r) => (resolveEnough = r));
  const rx = new ChatterboxReceiver({
    name: "demo",
    params: { minInterval: "0", maxInterval: "0" },
    seed: 1,
    append: async (batch) => {
      if (fail) {
        fail = false;
        throw new Error("disk full");
      }
      got.push(...batch);
      if (got.length === 5) resolveEnough();
    },
  });
  rx.start();
  await enough;
  await rx.stop();
  const n = got.length;
  expect([rx.state, rx.errors, rx.records]).toEqual(["stopped", 1, n]);
  expect(n).toBeGreaterThanOrEqual(5);
});
