/**
 * The ConfigStore conformance suite: versions, diffs, rollback, invalid changes, optimistic
 * concurrency, watch and export, run against every implementation (memory-store.test.ts,
 * sqlite-store.test.ts). `reopen`, when given, also checks that everything survives a restart.
 */

import { describe, expect, test } from "bun:test";
import { ConfigError } from "./problems.ts";
import { defaultConfig, type GastroConfig } from "./schema.ts";
import type { ConfigStore, ConfigStoreOptions, ConfigVersion } from "./store.ts";
import { thrownCode } from "../../test/support/outcome.ts";

export interface ConfigStoreHarness {
  /** A fresh, empty store. */
  open(options: ConfigStoreOptions): ConfigStore;
  /** Closes `store` and opens the same data again (persistent implementations only). */
  reopen?(store: ConfigStore, options: ConfigStoreOptions): ConfigStore;
  cleanup(): void;
}

const AUTHOR = { author: "alice", reason: "test" };

/** A valid config: the default plus a memory store routed by level. */
export function sampleConfig(): GastroConfig {
  const c = defaultConfig();
  c.stores.push({ ...structuredClone(c.stores[0]!), name: "errors", type: "memory", route: "level=error", rotation: { maxBytes: "0", maxRecords: 10_000, maxAge: "0" } });
  return c;
}

function withLevel(level: "debug" | "warn"): GastroConfig {
  const c = sampleConfig();
  c.server.logLevel = level;
  return c;
}

/** Runs the suite for one implementation. */
export function configStoreConformance(name: string, h: ConfigStoreHarness): void {
  describe(`ConfigStore conformance: ${name}`, () => {
    const clockFrom = (start: number) => {
      let t = start;
      return () => (t += 1_000_000);
    };
    const fresh = () => h.open({ clock: clockFrom(1_700_000_000_000_000) });

    test("starts at version 0 with the default config and no history", () => {
      const s = fresh();
      try {
        expect({ current: s.current(), history: s.history(), v0: s.get(0).config }).toEqual({
          current: { version: 0, at: 0, author: "", reason: "initial defaults", kind: "apply", diff: [], config: defaultConfig() },
          history: [],
          v0: defaultConfig(),
        });
      } finally {
        s.close();
        h.cleanup();
      }
    });

    test("apply stores numbered versions with who/what/when and a diff; equal configs store nothing", () => {
      const s = fresh();
      try {
        const v1 = s.apply(sampleConfig(), AUTHOR);
        const v2 = s.apply(withLevel("debug"), { author: "bob", reason: "more logs" });
        const again = s.apply(withLevel("debug"), { author: "carol", reason: "no-op" });
        expect(v1).toEqual({ version: 1, at: 1_700_000_001_000_000, author: "alice", reason: "test", kind: "apply", config: sampleConfig(), diff: [{ op: "added", path: "stores[errors]", value: sampleConfig().stores[1] }] });
        expect(v2.diff).toEqual([{ op: "changed", path: "server.logLevel", from: "info", to: "debug" }]);
        expect(again).toEqual(v2);
        expect(s.current()).toEqual(v2);
        expect(s.get(1)).toEqual(v1);
        expect(s.history().map((v) => [v.version, v.author, v.reason])).toEqual([
          [2, "bob", "more logs"],
          [1, "alice", "test"],
        ]);
        expect(s.history(1).map((v) => v.version)).toEqual([2]);
        expect(s.history()[0]).not.toHaveProperty("config");
      } finally {
        s.close();
        h.cleanup();
      }
    });

    test("input is normalized: defaults filled, sizes and durations canonical", () => {
      const s = fresh();
      try {
        const v = s.apply({ stores: [{ name: "a", route: "*", retention: { maxAge: "168h", maxBytes: 1073741824 } }] }, AUTHOR);
        expect(v.config.stores[0]).toEqual({ ...defaultConfig().stores[0]!, name: "a", retention: { maxAge: "7d", maxBytes: "1GB", maxChunks: 0 } });
        expect(v.config.server).toEqual(defaultConfig().server);
      } finally {
        s.close();
        h.cleanup();
      }
    });

    test("an invalid change is rejected whole with every problem and stores nothing", () => {
      const s = fresh();
      try {
        s.apply(sampleConfig(), AUTHOR);
        const bad = sampleConfig() as unknown as { stores: Record<string, unknown>[] };
        bad.stores.push({ name: "errors", route: "error env=prod", compression: { codec: "brotli" }, rotation: { maxAge: "soon" } });
        let err: unknown;
        try {
          s.apply(bad, AUTHOR);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).code).toBe("invalid_argument");
        expect((err as ConfigError).problems.map((p) => p.path)).toEqual(["$.stores[2].route", "$.stores[2].rotation.maxAge", "$.stores[2].compression.codec", "$.stores[2].name"]);
        expect(s.current().version).toBe(1);
        expect(s.history()).toHaveLength(1);
      } finally {
        s.close();
        h.cleanup();
      }
    });

    test("diff between any two versions; rollback is a new version", () => {
      const s = fresh();
      try {
        s.apply(sampleConfig(), AUTHOR);
        s.apply(withLevel("debug"), AUTHOR);
        s.apply(withLevel("warn"), AUTHOR);
        expect(s.diff(1, 3)).toEqual([{ op: "changed", path: "server.logLevel", from: "info", to: "warn" }]);
        expect(s.diff(3, 1)).toEqual([{ op: "changed", path: "server.logLevel", from: "warn", to: "info" }]);
        expect(s.diff(2)).toEqual([{ op: "changed", path: "server.logLevel", from: "debug", to: "warn" }]);
        expect(s.diff(0, 1).map((d) => [d.op, d.path])).toEqual([["added", "stores[errors]"]]);
        const r = s.rollback(1, { author: "alice", reason: "undo log level" });
        expect({ ...r, at: 0 }).toEqual({
          version: 4,
          at: 0,
          author: "alice",
          reason: "undo log level",
          kind: "rollback",
          rollbackOf: 1,
          config: sampleConfig(),
          diff: [{ op: "changed", path: "server.logLevel", from: "warn", to: "info" }],
        });
        expect(s.current().version).toBe(4);
        expect(s.get(3).config.server.logLevel).toBe("warn");
        expect(s.rollback(0, AUTHOR).config).toEqual(defaultConfig());
      } finally {
        s.close();
        h.cleanup();
      }
    });

    test("unknown versions are not_found; a stale ifVersion is rejected", () => {
      const s = fresh();
      try {
        s.apply(sampleConfig(), AUTHOR);
        expect([thrownCode(() => s.get(9)), thrownCode(() => s.rollback(9, AUTHOR)), thrownCode(() => s.diff(1, 7)), thrownCode(() => s.get(1.5))]).toEqual(["not_found", "not_found", "not_found", "not_found"]);
        expect(thrownCode(() => s.apply(withLevel("debug"), { ...AUTHOR, ifVersion: 0 }))).toBe("unavailable");
        expect(s.current().version).toBe(1);
        expect(s.apply(withLevel("debug"), { ...AUTHOR, ifVersion: 1 }).version).toBe(2);
      } finally {
        s.close();
        h.cleanup();
      }
    });

    test("watch reports each new version in order until unsubscribed; listener errors are contained", () => {
      const errors: unknown[] = [];
      const s = h.open({ onListenerError: (e) => errors.push(e) });
      try {
        const seen: ConfigVersion[] = [];
        const stop = s.watch((v) => seen.push(v));
        const stopBad = s.watch(() => {
          throw new Error("listener broke");
        });
        s.apply(sampleConfig(), AUTHOR);
        s.apply(withLevel("debug"), AUTHOR);
        s.rollback(1, AUTHOR);
        stop();
        stopBad();
        s.apply(withLevel("warn"), AUTHOR);
        expect(seen.map((v) => [v.version, v.kind, v.config.server.logLevel])).toEqual([
          [1, "apply", "info"],
          [2, "apply", "debug"],
          [3, "rollback", "info"],
        ]);
        expect(errors.map((e) => (e as Error).message)).toEqual(["listener broke", "listener broke", "listener broke"]);
      } finally {
        s.close();
        h.cleanup();
      }
    });

    test("export is pretty JSON that applies back as no change", () => {
      const s = fresh();
      try {
        s.apply(sampleConfig(), AUTHOR);
        const text = s.export();
        expect(JSON.parse(text)).toEqual(sampleConfig());
        expect(text).toContain('\n  "server": {\n');
        expect(s.apply(JSON.parse(text), AUTHOR).version).toBe(1);
      } finally {
        s.close();
        h.cleanup();
      }
    });

    if (h.reopen) {
      const reopen = h.reopen.bind(h);
      test("versions, history and the current config survive a restart", () => {
        let s = fresh();
        try {
          s.apply(sampleConfig(), AUTHOR);
          s.apply(withLevel("debug"), AUTHOR);
          s.rollback(1, AUTHOR);
          const before = { current: s.current(), history: s.history(), v2: s.get(2) };
          s = reopen(s, {});
          expect({ current: s.current(), history: s.history(), v2: s.get(2) }).toEqual(before);
          expect(s.apply(withLevel("warn"), AUTHOR).version).toBe(4);
        } finally {
          s.close();
          h.cleanup();
        }
      });
    }
  });
}
