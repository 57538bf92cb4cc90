/**
 * Receiver checks before anything runs: per-type config validators (the receivers' own option,
 * scheme and TLS checks, with config paths), `serve --receiver` flags, and the config -> ingest
 * adaptation; plus the config store rejecting a bad receiver with every problem.
 */

import { describe, expect, test } from "bun:test";
import { MemoryConfigStore } from "../../config/memory-store.ts";
import type { ReceiverEntry } from "../../config/schema.ts";
import { configStoreOptions } from "../config-access.ts";
import { toIngestReceiverConfig } from "./receiver-factories.ts";
import { receiverFlagConfigs, receiverValidators } from "./receiver-config.ts";

const entry = (type: string, listen: string[], options: Record<string, unknown> = {}): ReceiverEntry => ({ id: "r", type, enabled: true, listen, options });

describe("receiverValidators", () => {
  const v = receiverValidators();
  const CASES: [string, ReceiverEntry, { path: string; message: string }[]][] = [
    ["syslog ok", entry("syslog", ["udp://0.0.0.0:514", "tcp://127.0.0.1:0"], { proxyProtocol: true }), []],
    ["relp ok", entry("relp", ["tcp://127.0.0.1:2514"]), []],
    ["gelf ok", entry("gelf", ["udp://127.0.0.1:12201"], { chunkTimeoutMs: 100 }), []],
    ["http ok", entry("http", ["http://127.0.0.1:3100"]), []],
    ["chatterbox ok", entry("chatterbox", [], { formats: "kv,json" }), []],
    ["fluent ok", entry("fluent", ["tcp://127.0.0.1:24224"], { sharedKey: "k", heartbeat: false }), []],
    ["beats ok", entry("beats", ["tcp://127.0.0.1:5044"], { maxWindowSize: 4096 }), []],
    ["fluent on udp", entry("fluent", ["udp://127.0.0.1:24224"]), [{ path: "listen", message: "fluent listens on tcp:// or tls:// only" }]],
    ["fluent empty shared key", entry("fluent", ["tcp://127.0.0.1:1"], { sharedKey: "" }), [{ path: "options.sharedKey", message: 'option sharedKey must be a non-empty string, got ""' }]],
    ["beats window option", entry("beats", ["tcp://127.0.0.1:1"], { maxWindowSize: 0 }), [{ path: "options.maxWindowSize", message: "option maxWindowSize must be an integer in 1..9007199254740991, got 0" }]],
    ["beats unknown option", entry("beats", ["tcp://127.0.0.1:1"], { window: 1 }), [{ path: "options.window", message: 'unknown option "window"; known: maxWindowSize, maxFrameBytes, maxDecodedBytes' }]],
    ["beats tls without certificate", entry("beats", ["tls://127.0.0.1:1"]), [{ path: "listen", message: "tls:// needs tls.cert and tls.key" }]],
    ["wrong option type", entry("syslog", ["udp://127.0.0.1:1"], { maxFrameBytes: "x" }), [{ path: "options.maxFrameBytes", message: 'option maxFrameBytes must be an integer in 64..9007199254740991, got "x"' }]],
    ["unknown option", entry("gelf", ["udp://127.0.0.1:1"], { nope: 1 }), [{ path: "options.nope", message: 'unknown option "nope"; known: chunkTimeoutMs, maxChunkSets, maxMessageBytes, recvBufferBytes' }]],
    ["relp on udp", entry("relp", ["udp://127.0.0.1:1"]), [{ path: "listen", message: "relp listens on tcp:// or tls:// only" }]],
    ["https without tls", entry("http", ["https://127.0.0.1:1"]), [{ path: "listen", message: "https:// needs tls.cert and tls.key" }]],
    ["no listen", entry("syslog", []), [{ path: "listen", message: "needs at least one listen address" }]],
    ["bad chatterbox param", entry("chatterbox", [], { minInterval: "soon" }), [{ path: "options", message: "chatterbox: invalid minInterval 'soon': expected a duration like 500ms, 30s, 15m, 2h, 7d or 1h30m" }]],
  ];
  for (const [name, r, want] of CASES) test(name, () => expect(v[r.type]!(r)).toEqual(want));
  test("every type of this build is known", () => expect(Object.keys(v).sort()).toEqual(["beats", "chatterbox", "fluent", "gelf", "http", "relp", "syslog"]));
});

describe("receiverFlagConfigs", () => {
  test("ids from type, scheme and port; repeats suffixed", () => {
    expect(receiverFlagConfigs(["syslog=udp://127.0.0.1:5514", "syslog=tcp://127.0.0.1:5514", "syslog=udp://0.0.0.0:5514"])).toEqual([
      { id: "syslog-udp-5514", type: "syslog", enabled: true, listen: ["udp://127.0.0.1:5514"], options: {} },
      { id: "syslog-tcp-5514", type: "syslog", enabled: true, listen: ["tcp://127.0.0.1:5514"], options: {} },
      { id: "syslog-udp-5514-2", type: "syslog", enabled: true, listen: ["udp://0.0.0.0:5514"], options: {} },
    ]);
  });
  test("fluent and beats flag forms", () => {
    expect(receiverFlagConfigs(["fluent=tcp://127.0.0.1:24224", "beats=tcp://0.0.0.0:5044"])).toEqual([
      { id: "fluent-tcp-24224", type: "fluent", enabled: true, listen: ["tcp://127.0.0.1:24224"], options: {} },
      { id: "beats-tcp-5044", type: "beats", enabled: true, listen: ["tcp://0.0.0.0:5044"], options: {} },
    ]);
  });
  const BAD: [string, string][] = [
    ["bogus=udp://127.0.0.1:1", '--receiver "bogus=udp://127.0.0.1:1": unknown type "bogus" (known: syslog, relp, gelf, http, fluent, beats; the demo receiver is --demo)'],
    ["beats=udp://127.0.0.1:1", '--receiver "beats=udp://127.0.0.1:1": beats listens on tcp:// or tls:// only'],
    ["fluent=tls://127.0.0.1:1", '--receiver "fluent=tls://127.0.0.1:1": tls:// needs tls.cert and tls.key'],
    ["relp=udp://127.0.0.1:1", '--receiver "relp=udp://127.0.0.1:1": relp listens on tcp:// or tls:// only'],
    ["syslog", '--receiver "syslog": expected TYPE=URL, e.g. syslog=udp://127.0.0.1:5514'],
    ["gelf=udp://127.0.0.1", 'listen address "udp://127.0.0.1" needs an explicit port'],
    ["http=https://127.0.0.1:1", '--receiver "http=https://127.0.0.1:1": https:// needs tls.cert and tls.key'],
  ];
  for (const [flag, message] of BAD) test(`rejects ${flag}`, () => expect(() => receiverFlagConfigs([flag])).toThrow(message));
});

test("toIngestReceiverConfig maps TLS names and client auth", () => {
  const c: ReceiverEntry = { ...entry("syslog", ["tls://127.0.0.1:6514"], { proxyProtocol: true }), tls: { cert: "c.pem", key: "k.pem", ca: "ca.pem", clientAuth: "require" } };
  expect(toIngestReceiverConfig(c)).toEqual({ type: "syslog", id: "r", listen: ["tls://127.0.0.1:6514"], options: { proxyProtocol: true }, tls: { certFile: "c.pem", keyFile: "k.pem", caFile: "ca.pem", requireClientCert: true } });
  expect(toIngestReceiverConfig({ ...c, tls: { cert: "c", key: "k", ca: "", clientAuth: "none" } }).tls).toEqual({ certFile: "c", keyFile: "k", requireClientCert: false });
});

test("the config store rejects bad receivers with every problem and stores nothing", () => {
  const store = new MemoryConfigStore(configStoreOptions());
  const bad = {
    receivers: [
      { id: "a", type: "syslog", listen: ["udp://127.0.0.1:1"], options: { maxFrameBytes: 1 } },
      { id: "b", type: "snmp", listen: ["udp://127.0.0.1:2"] },
      { id: "c", type: "relp", listen: ["udp://127.0.0.1:3"] },
    ],
  };
  expect(() => store.apply(bad, { author: "t", reason: "r" })).toThrow(
    [
      "invalid config (3 problems):",
      "  $.receivers[0].options.maxFrameBytes: option maxFrameBytes must be an integer in 64..9007199254740991, got 1",
      '  $.receivers[1].type: unknown receiver type "snmp" (known: beats, chatterbox, fluent, gelf, http, relp, syslog)',
      "  $.receivers[2].listen: relp listens on tcp:// or tls:// only",
    ].join("\n"),
  );
  expect(store.current().version).toBe(0);
  expect(store.apply({ receivers: [{ id: "ok", type: "gelf", listen: ["udp://127.0.0.1:12201"] }] }, { author: "t", reason: "r" }).version).toBe(1);
});
