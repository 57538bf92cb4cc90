/**
 * Receiver checks before anything runs: per-type config validators (the receivers' own option,
 * scheme and TLS checks, with config paths), `serve --receiver` flags, and the config -> ingest
 * adaptation; plus the config store rejecting a bad receiver with every problem.
 */

import { describe, expect, test } from "bun:test";
import { MemoryConfigStore } from "../../config/memory-store.ts";
import type { ReceiverEntry } from "../../config/schema.ts";
import { toIngestReceiverConfig } from "./receiver-factories.ts";
import { configStoreOptions, receiverFlagConfigs, receiverValidators } from "./receiver-config.ts";

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
    ["otlp ok", entry("otlp", ["http://127.0.0.1:4318", "grpc://127.0.0.1:4317"], { maxBodyBytes: 1 << 20 }), []],
    ["otlp on tcp", entry("otlp", ["tcp://127.0.0.1:4317"]), [{ path: "listen", message: "otlp listens on http://, https://, grpc:// or grpcs:// only" }]],
    ["otlp grpcs without certificate", entry("otlp", ["grpcs://127.0.0.1:4317"]), [{ path: "listen", message: "grpcs:// needs tls.cert and tls.key" }]],
    ["kafka ok", entry("kafka", ["kafka://b1:9092,b2:9092/logs,audit?group=edge&start=earliest"], { sasl: "scram-sha-512", saslUsername: "u", saslPassword: "p" }), []],
    ["kafka pattern only", entry("kafka", ["kafka://b1:9092"], { topicPattern: "^app-" }), []],
    ["kafka no topics", entry("kafka", ["kafka://b1:9092"]), [{ path: "options.topicPattern", message: "name topics in the URL (kafka://HOST:PORT/TOPIC[,TOPIC]) or set option topicPattern" }]],
    ["kafka bad start", entry("kafka", ["kafka://b1:9092/logs?start=middle"]), [{ path: "options.start", message: "option start must be one of latest, earliest, got \"middle\"" }]],
    ["kafka sasl without password", entry("kafka", ["kafka://b1:9092/logs"], { sasl: "plain", saslUsername: "u" }), [{ path: "options", message: "sasl plain needs saslUsername and saslPassword" }]],
    ["kafka broker without port", entry("kafka", ["kafka://b1/logs"]), [{ path: "listen", message: '"kafka://b1/logs" is not like kafka://HOST:PORT[,HOST:PORT]/TOPIC[,TOPIC]?group=G' }]],
    ["otlp unknown option", entry("otlp", ["http://127.0.0.1:4318"], { gzip: true }), [{ path: "options.gzip", message: 'unknown option "gzip"; known: maxBodyBytes, maxDecodedBytes' }]],
    ["wrong option type", entry("syslog", ["udp://127.0.0.1:1"], { maxFrameBytes: "x" }), [{ path: "options.maxFrameBytes", message: 'option maxFrameBytes must be an integer in 64..9007199254740991, got "x"' }]],
    ["unknown option", entry("gelf", ["udp://127.0.0.1:1"], { nope: 1 }), [{ path: "options.nope", message: 'unknown option "nope"; known: chunkTimeoutMs, maxChunkSets, maxMessageBytes, recvBufferBytes, datagramQueueBytes' }]],
    ["relp on udp", entry("relp", ["udp://127.0.0.1:1"]), [{ path: "listen", message: "relp listens on tcp:// or tls:// only" }]],
    ["https without tls", entry("http", ["https://127.0.0.1:1"]), [{ path: "listen", message: "https:// needs tls.cert and tls.key" }]],
    ["no listen", entry("syslog", []), [{ path: "listen", message: "needs at least one listen address" }]],
    ["bad chatterbox param", entry("chatterbox", [], { minInterval: "soon" }), [{ path: "options", message: "chatterbox: invalid minInterval 'soon': expected a duration like 500ms, 30s, 15m, 2h, 7d or 1h30m" }]],
  ];
  for (const [name, r, want] of CASES) test(name, () => expect(v[r.type]!(r)).toEqual(want));
  test("every type of this build is known", () => expect(Object.keys(v).sort()).toEqual(["beats", "chatterbox", "docker", "fluent", "gelf", "http", "journald", "kafka", "kubernetes", "otlp", "relp", "syslog", "tail"]));
});

describe("receiverFlagConfigs", () => {
  test("local sources: ids from type, scheme and a hash of the URL (stable across restarts)", () => {
    const flags = ["tail=file:///var/log/app/*.log?start=beginning", "docker=unix:///var/run/docker.sock", "docker=file:///var/lib/docker/containers", "kubernetes=file:///var/log/pods", "journald=journalctl", "journald=file:///var/log/journal"];
    const got = receiverFlagConfigs(flags);
    expect(got.map((c) => c.id.replace(/-[0-9a-f]{8}$/, "-HASH"))).toEqual(["tail-file-HASH", "docker-unix-HASH", "docker-file-HASH", "kubernetes-file-HASH", "journald-journalctl-HASH", "journald-file-HASH"]);
    expect(receiverFlagConfigs(flags).map((c) => c.id)).toEqual(got.map((c) => c.id));
    expect(new Set(got.map((c) => c.id)).size).toBe(flags.length);
  });

  test("ids from type, scheme and port; repeats suffixed", () => {
    expect(receiverFlagConfigs(["syslog=udp://127.0.0.1:5514", "syslog=tcp://127.0.0.1:5514", "syslog=udp://0.0.0.0:5514"])).toEqual([
      { id: "syslog-udp-5514", type: "syslog", enabled: true, listen: ["udp://127.0.0.1:5514"], options: {} },
      { id: "syslog-tcp-5514", type: "syslog", enabled: true, listen: ["tcp://127.0.0.1:5514"], options: {} },
      { id: "syslog-udp-5514-2", type: "syslog", enabled: true, listen: ["udp://0.0.0.0:5514"], options: {} },
    ]);
  });
  test("kafka flag form: one URL with comma lists of brokers and topics, id from a hash", () => {
    const [c] = receiverFlagConfigs(["kafka=kafka://b1:9092,b2:9092/logs,audit?group=edge&start=earliest"]);
    expect({ ...c!, id: c!.id.replace(/[0-9a-f]{8}$/, "HASH") }).toEqual({ id: "kafka-kafka-HASH", type: "kafka", enabled: true, listen: ["kafka://b1:9092,b2:9092/logs,audit?group=edge&start=earliest"], options: {} });
  });
  test("otlp flag forms", () => {
    expect(receiverFlagConfigs(["otlp=http://127.0.0.1:4318", "otlp=grpc://0.0.0.0:4317"])).toEqual([
      { id: "otlp-http-4318", type: "otlp", enabled: true, listen: ["http://127.0.0.1:4318"], options: {} },
      { id: "otlp-grpc-4317", type: "otlp", enabled: true, listen: ["grpc://0.0.0.0:4317"], options: {} },
    ]);
  });
  test("fluent and beats flag forms", () => {
    expect(receiverFlagConfigs(["fluent=tcp://127.0.0.1:24224", "beats=tcp://0.0.0.0:5044"])).toEqual([
      { id: "fluent-tcp-24224", type: "fluent", enabled: true, listen: ["tcp://127.0.0.1:24224"], options: {} },
      { id: "beats-tcp-5044", type: "beats", enabled: true, listen: ["tcp://0.0.0.0:5044"], options: {} },
    ]);
  });
  const BAD: [string, string][] = [
    ["bogus=udp://127.0.0.1:1", '--receiver "bogus=udp://127.0.0.1:1": unknown type "bogus" (known: syslog, relp, gelf, http, fluent, beats, otlp, tail, docker, kubernetes, journald, kafka; the demo receiver is --demo)'],
    ["tail=udp://127.0.0.1:1", '--receiver "tail=udp://127.0.0.1:1": "udp://127.0.0.1:1" is not a source like file:///var/log/app/*.log'],
    ["docker=file://relative/dir", '"file://relative/dir" is not a source like'],
    ["kubernetes=unix:///var/run/x.sock", "kubernetes reads file:///var/log/pods or file:///var/log/containers only"],
    ["journald=file:///var/log/journal?start=middle", "option start must be one of end, beginning"],
    ["tail=file:///var/log/*.log?encoding=latin1", "option encoding must be one of auto, utf-8, utf-16le, utf-16be"],
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
  expect(toIngestReceiverConfig(c)).toEqual({ type: "syslog", id: "r", listen: ["tls://127.0.0.1:6514"], options: { proxyProtocol: true }, tls: { certFile: "c.pem", keyFile: "k.pem", caFile: "ca.pem", clientAuth: "require" } });
  expect(toIngestReceiverConfig({ ...c, tls: { cert: "c", key: "k", ca: "", clientAuth: "none" } }).tls).toEqual({ certFile: "c", keyFile: "k", clientAuth: "none" });
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
      '  $.receivers[1].type: unknown receiver type "snmp" (known: beats, chatterbox, docker, fluent, gelf, http, journald, kafka, kubernetes, otlp, relp, syslog, tail)',
      "  $.receivers[2].listen: relp listens on tcp:// or tls:// only",
    ].join("\n"),
  );
  expect(store.current().version).toBe(0);
  expect(store.apply({ receivers: [{ id: "ok", type: "gelf", listen: ["udp://127.0.0.1:12201"] }] }, { author: "t", reason: "r", force: true }).version).toBe(1);
});

test("local sources in the config: accepted as written, their options checked like the other types'", () => {
  const store = new MemoryConfigStore(configStoreOptions());
  const good = {
    receivers: [
      { id: "app", type: "tail", listen: ["file:///var/log/app/**/*.log"], options: { start: "beginning", multilineStart: "^\\d{4}-", readRotated: true } },
      { id: "dk", type: "docker", listen: ["unix:///var/run/docker.sock"], options: { label: "app=web" } },
      { id: "k8s", type: "kubernetes", listen: ["file:///var/log/pods"] },
      { id: "jd", type: "journald", listen: ["journalctl"], options: { match: "_SYSTEMD_UNIT=ssh.service" } },
    ],
  };
  expect(store.apply(good, { author: "t", reason: "r", force: true }).version).toBe(1);
  const bad = { receivers: [{ id: "t", type: "tail", listen: ["file:///var/log/*.log"], options: { pollMs: 1, start: 3 } }, { id: "d", type: "docker", listen: ["unix:///var/run/docker.sock"], options: { pollMs: 100 } }] };
  expect(() => store.apply(bad, { author: "t", reason: "r" })).toThrow(
    ["invalid config (2 problems):", "  $.receivers[0].options.start: option start must be a string, got 3", '  $.receivers[1].options.pollMs: unknown option "pollMs"; known: start, name, image, label, multilineStart'].join("\n"),
  );
});
