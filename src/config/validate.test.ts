/** validateConfig: normalization and one table of invalid inputs with their JSON-path problems. */

import { describe, expect, test } from "bun:test";
import { ConfigError } from "./problems.ts";
import { defaultConfig } from "./schema.ts";
import { validateConfig } from "./validate.ts";
import type { ReceiverValidator } from "./validate-receivers.ts";

function problems(input: unknown, receiverTypes?: Record<string, ReceiverValidator>): string[] {
  try {
    validateConfig(input, { receiverTypes });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

const store = (extra: Record<string, unknown>) => ({ stores: [{ name: "s", route: "*", ...extra }] });
const recv = (extra: Record<string, unknown>) => ({ receivers: [{ id: "r", type: "syslog", listen: ["udp://0.0.0.0:5514"], ...extra }] });

describe("validateConfig", () => {
  test("the default config is valid and normalizes to itself; {} is a config without stores", () => {
    expect(validateConfig(defaultConfig())).toEqual(defaultConfig());
    expect(validateConfig({})).toEqual({ ...defaultConfig(), stores: [] });
  });

  test("normalizes a full receiver entry (options keys sorted, tls filled)", () => {
    const c = validateConfig(recv({ enabled: false, tls: { cert: "c.pem", key: "k.pem" }, options: { z: 1, a: { y: 2, b: 3 } } }));
    expect(c.receivers).toEqual([
      { id: "r", type: "syslog", enabled: false, listen: ["udp://0.0.0.0:5514"], tls: { cert: "c.pem", key: "k.pem", ca: "", clientAuth: "none" }, options: { a: { b: 3, y: 2 }, z: 1 } },
    ]);
    expect(JSON.stringify(c.receivers[0]!.options)).toBe('{"a":{"b":3,"y":2},"z":1}');
  });

  test("memory stores get memory rotation defaults; interval durability keeps its period", () => {
    const c = validateConfig(store({ type: "memory", durability: { mode: "interval", interval: "200ms" }, compression: { codec: "lz4" } }));
    expect(c.stores[0]).toMatchObject({ rotation: { maxBytes: "0", maxRecords: 10_000, maxAge: "0" }, durability: { mode: "interval", interval: "200ms" }, compression: { codec: "lz4", level: 6 } });
  });

  const cases: { name: string; input: unknown; want: string[] }[] = [
    { name: "not an object", input: [1], want: ["$: expected an object, got [1]"] },
    { name: "null", input: null, want: ["$: a config must be a JSON object, got nothing"] },
    { name: "unknown top-level field", input: { storez: [] }, want: ["$.storez: unknown field (known: server, stores, receivers, query)"] },
    {
      name: "query guards",
      input: { query: { timeout: "soon", maxRows: -1, maxBytes: "lots", maxResponseBytes: 0, maxEstimate: "1h", workers: 100, extra: 1 } },
      want: [
        "$.query.extra: unknown field (known: timeout, maxRows, maxBytes, maxResponseBytes, maxEstimate, workers)",
        "$.query.timeout: expected a duration like 500ms, 30s, 15m, 2h, 7d or 1h30m (\"0\" to disable), got \"soon\"",
        "$.query.maxRows: expected an integer in 0..9007199254740991, got -1",
        "$.query.maxBytes: expected a size like \"64MB\" (B, KB, MB, GB, TB) or a byte count, got \"lots\"",
        "$.query.workers: expected an integer in 0..64, got 100",
        "$.query.maxResponseBytes: must be > 0 (a response carries at least one record)",
      ],
    },
    {
      name: "server fields",
      input: { server: { listen: "nohost", logLevel: "loud", shutdownTimeout: "0", socket: 5 } },
      want: [
        '$.server.listen: expected host:port (port 0-65535) or "", got "nohost"',
        "$.server.socket: expected a string, got 5",
        '$.server.logLevel: must be one of debug, info, warn, error, got "loud"',
        '$.server.shutdownTimeout: expected a duration like 500ms, 30s, 15m, 2h, 7d or 1h30m (must be > 0), got "0"',
      ],
    },
    { name: "port out of range", input: { server: { listen: "[::1]:70000" } }, want: ['$.server.listen: expected host:port (port 0-65535) or "", got "[::1]:70000"'] },
    { name: "missing route", input: { stores: [{ name: "s" }] }, want: ['$.stores[0].route: route is required: "*" (all), "+" (catch-rest), "" (nothing) or an attribute expression'] },
    { name: "bad store name", input: store({ name: "../etc" }), want: [`$.stores[0].name: store name must be 1-64 letters, digits, '_', '.', '-' (starting with a letter or digit), got "../etc"`] },
    { name: "route syntax", input: store({ route: "(env=prod" }), want: [`$.stores[0].route: invalid route "(env=prod": parse error at position 0: unmatched opening parenthesis: expected ')'`] },
    {
      name: "token predicate in route",
      input: store({ route: "env=prod error" }),
      want: [`$.stores[0].route: invalid route "env=prod error": token predicates are not allowed in routes (found 'error'): routes see attributes only; use key=value, key=* or *=value`],
    },
    {
      name: "sizes and durations",
      input: store({ rotation: { maxBytes: "1.5GB", maxAge: "1 hour", maxRecords: -1 }, retention: { maxBytes: true, maxChunks: 1.5 } }),
      want: [
        '$.stores[0].rotation.maxBytes: expected a size like "64MB" (B, KB, MB, GB, TB) or a byte count, got "1.5GB"',
        "$.stores[0].rotation.maxRecords: expected an integer in 0..9007199254740991, got -1",
        '$.stores[0].rotation.maxAge: expected a duration like 500ms, 30s, 15m, 2h, 7d or 1h30m ("0" to disable), got "1 hour"',
        '$.stores[0].retention.maxBytes: expected a size like "64MB" (B, KB, MB, GB, TB) or a byte count, got true',
        "$.stores[0].retention.maxChunks: expected an integer in 0..9007199254740991, got 1.5",
      ],
    },
    {
      name: "codec and level",
      input: { stores: [{ name: "a", route: "*", compression: { codec: "brotli" } }, { name: "b", route: "*", compression: { codec: "lz4", level: 9 } }, { name: "c", route: "*", compression: { level: 30 } }] },
      want: ['$.stores[0].compression.codec: must be one of zstd, lz4, none, got "brotli"', "$.stores[2].compression.level: expected an integer in 1..22, got 30"],
    },
    {
      name: "durability",
      input: { stores: [{ name: "a", route: "*", durability: { mode: "interval" } }, { name: "b", route: "*", durability: { mode: "batch", interval: "1s" } }] },
      want: ['$.stores[0].durability.interval: mode "interval" needs an interval > 0 (e.g. "200ms")', '$.stores[1].durability.interval: interval applies to mode "interval" only, not "batch"'],
    },
    { name: "duplicate stores", input: { stores: [{ name: "a", route: "*" }, { name: "a", route: "+" }] }, want: ['$.stores[1].name: duplicate store name "a" (also $.stores[0])'] },
    {
      name: "receiver common fields",
      input: { receivers: [{ id: "", type: "Syslog", listen: ["ftp://x:1", "udp://h", "not a url", 7, "unix:///", "kafka:///logs", "grpcs://h"], tls: { cert: "c" , clientAuth: "require" } }] },
      want: [
        '$.receivers[0].id: receiver id must be 1-64 letters, digits, \'_\', \'.\', \'-\', got ""',
        '$.receivers[0].type: receiver type must be a lowercase name like "syslog", got "Syslog"',
        '$.receivers[0].listen[0]: scheme must be one of udp, tcp, tls, http, https, grpc, grpcs, unix, file, kafka, got "ftp"',
        '$.receivers[0].listen[1]: URL needs a host and a port: "udp://h"',
        '$.receivers[0].listen[2]: not a URL: "not a url" (e.g. "udp://0.0.0.0:514")',
        "$.receivers[0].listen[3]: expected a URL string, got 7",
        '$.receivers[0].listen[4]: unix URL needs a socket path: "unix:///"',
        '$.receivers[0].listen[5]: kafka URL needs brokers like kafka://HOST:PORT[,HOST:PORT]/TOPIC: "kafka:///logs"',
        '$.receivers[0].listen[6]: URL needs a host and a port: "grpcs://h"',
        "$.receivers[0].tls: tls needs both cert and key (PEM file paths)",
        '$.receivers[0].tls.ca: clientAuth "require" needs a ca bundle (the CA that signs client certificates)',
      ],
    },
    {
      name: "duplicate ids and addresses",
      input: { receivers: [{ id: "a", type: "x", listen: ["udp://h:1"] }, { id: "a", type: "x", listen: ["udp://h:1"] }, { id: "b", type: "x", enabled: false, listen: ["udp://h:1"] }] },
      want: ['$.receivers[1].id: duplicate receiver id "a" (also $.receivers[0])', '$.receivers[1].listen[0]: "udp://h:1" is also used by receiver "a"'],
    },
    { name: "options must be an object", input: recv({ options: [1] }), want: ["$.receivers[0].options: expected an object, got [1]"] },
  ];
  test("accepts Kafka URLs with comma lists of brokers and topics (no WHATWG URL takes them)", () => {
    expect(problems({ receivers: [{ id: "k", type: "kafka", listen: ["kafka://b1:9092,b2:9092/logs,audit?group=g&start=earliest", "kafka://[::1]:9092"] }] })).toEqual([]);
  });
  test.each(cases)("rejects: $name", ({ input, want }) => {
    expect(problems(input)).toEqual(want);
  });

  test("receiver type hooks check options and make unknown types errors", () => {
    const types: Record<string, ReceiverValidator> = {
      syslog: (r) => (typeof r.options.maxMessage === "number" ? [] : [{ path: "options.maxMessage", message: "required number" }]),
      http: () => [],
    };
    expect(problems(recv({ options: { maxMessage: 8192 } }), types)).toEqual([]);
    expect(problems(recv({ options: {} }), types)).toEqual(["$.receivers[0].options.maxMessage: required number"]);
    expect(problems(recv({ type: "gelf" }), types)).toEqual(['$.receivers[0].type: unknown receiver type "gelf" (known: http, syslog)']);
  });

  test("a ConfigError message lists every problem on its own line", () => {
    expect(() => validateConfig({ server: { logLevel: 1 }, stores: 3 })).toThrow(
      "invalid config (2 problems):\n  $.server.logLevel: expected a string, got 1\n  $.stores: expected an array, got 3",
    );
  });
});
