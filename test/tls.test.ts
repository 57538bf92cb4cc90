/**
 * TLS and mTLS with certificates openssl makes in the test (support/certs.ts): the HTTP API with
 * clientAuth require (good client certificate in — and mapped to a token identity by its SAN —
 * wrong CA, expired and none refused, each logged with its reason and counted in
 * gastrolog_tls_handshakes_rejected_total) and request (none accepted, a bad one refused), the
 * server certificate reloaded when its files change; TCP receivers (syslog over TLS), the
 * HTTPS receiver and the OTLP receiver (https:// and grpcs://, with the OpenTelemetry SDK
 * exporters) under require and request, refusals counted in their status.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import tls from "node:tls";
import { ConfigService } from "../src/api/gen/gastrolog/v1/config_pb.ts";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { httpTransport, type ClientCredentials } from "../src/api/transports.ts";
import { startServer, type RunningServer } from "../src/app/server/server.ts";
import { configDbPath } from "../src/config/sqlite-store.ts";
import { IngestPipeline } from "../src/ingest/pipeline/pipeline.ts";
import { createReceiver, RECEIVER_TYPES } from "../src/ingest/receivers/registry.ts";
import { createLogger } from "../src/observability/logger.ts";
import { NO_LIMITS } from "../src/security/limits.ts";
import { parseScope } from "../src/security/scopes.ts";
import { TokenStore } from "../src/security/token-store.ts";
import type { ClientAuth } from "../src/security/tls.ts";
import { hasCommand, run, startHarness } from "./receivers/support.ts";
import { leaf, makeCerts, type CertSet } from "./support/certs.ts";
import { serverDir } from "./support/server.ts";
import { until } from "./support/until.ts";

const OPENSSL = hasCommand("openssl");
const { dir, cleanup } = serverDir();
let certs: CertSet;
const pem = (path: string) => readFileSync(path, "utf8");

beforeAll(() => {
  if (!OPENSSL) return;
  mkdirSync(join(dir, "certs"));
  certs = makeCerts(join(dir, "certs"));
});
afterAll(() => cleanup());

interface ApiServer {
  srv: RunningServer;
  logs: Record<string, unknown>[];
  url: string;
}

async function apiServer(name: string, clientAuth: ClientAuth, auth: boolean, serverCert = certs.server): Promise<ApiServer> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: "info", format: "json", write: (l) => logs.push(JSON.parse(l)) });
  const data = join(dir, name);
  const srv = await startServer({ dataDir: data, socket: "off", listen: "127.0.0.1:0", auth, demo: false, logger, tls: { cert: serverCert.cert, key: serverCert.key, ca: certs.ca, clientAuth } });
  return { srv, logs, url: `https://localhost:${srv.http!.split(":").pop()}` };
}

function client(c: { cert: string; key: string } | undefined, token?: string): ClientCredentials {
  return { ca: pem(certs.ca), ...(c ? { cert: pem(c.cert), key: pem(c.key) } : {}), ...(token ? { token } : {}) };
}

/** "ok", a refusal by the API (PermissionDenied, Unauthenticated), or "refused" (the connection failed). */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    const code = ConnectError.from(err).code;
    return code === Code.PermissionDenied || code === Code.Unauthenticated ? Code[code] : "refused";
  }
}

/** Values of gastrolog_tls_handshakes_rejected_total by label set, read from /metrics. */
async function rejected(s: ApiServer): Promise<Record<string, number>> {
  const t = await fetch(`${s.url}/metrics`, { tls: { ca: pem(certs.ca), cert: pem(certs.good.cert), key: pem(certs.good.key) } }).then((r) => r.text());
  return Object.fromEntries([...t.matchAll(/^gastrolog_tls_handshakes_rejected_total\{(.*)\} (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
}

describe.skipIf(!OPENSSL)("HTTP API (needs openssl)", () => {
  test("clientAuth require: a good certificate gets in as the token mapped to its SAN; wrong CA, expired and none are refused, logged and counted", async () => {
    const s = await apiServer("require", "require", true);
    try {
      const tokens = TokenStore.open(configDbPath(join(dir, "require")));
      tokens.create({ name: "peer-ci", scopes: [parseScope("query")], limits: NO_LIMITS, ttlUs: 0, createdBy: "test", certSubjects: ["URI:spiffe://gastrolog/ci"] });
      const admin = tokens.create({ name: "ops", scopes: [parseScope("admin")], limits: NO_LIMITS, ttlUs: 0, createdBy: "test" }).secret;
      tokens.close();
      const call = (creds: ClientCredentials) => createClient(QueryService, httpTransport(s.url, "connect", false, creds)).validateQuery({ text: "error" });
      const codes = {
        good: await codeOf(call(client(certs.good))),
        goodButConfig: await codeOf(createClient(ConfigService, httpTransport(s.url, "connect", false, client(certs.good))).getConfig({})),
        goodWithAdminToken: await codeOf(createClient(ConfigService, httpTransport(s.url, "grpc", false, client(certs.good, admin))).getConfig({})),
        wrongCa: await codeOf(call(client(certs.wrongCa))),
        expired: await codeOf(call(client(certs.expired))),
        none: await codeOf(call(client(undefined, admin))),
      };
      expect(codes).toEqual({ good: "ok", goodButConfig: "PermissionDenied", goodWithAdminToken: "ok", wrongCa: "refused", expired: "refused", none: "refused" });
      expect(await rejected(s)).toEqual({ 'listener="api",reason="unknown_ca"': 1, 'listener="api",reason="expired"': 1, 'listener="api",reason="no_certificate"': 1 });
      const refusals = s.logs.filter((l) => String(l.msg).startsWith("TLS client refused")).map((l) => ({ reason: l.reason, remote: l.remote }));
      expect(refusals).toEqual(["unknown_ca", "expired", "no_certificate"].map((reason) => ({ reason, remote: "127.0.0.1" })));
    } finally {
      await s.srv.shutdown("test");
    }
  });

  test("clientAuth request: no certificate is fine, a bad one is refused; the server certificate is reloaded when its files change", async () => {
    const served = { cert: join(dir, "served.crt"), key: join(dir, "served.key") };
    copyFileSync(certs.server.cert, served.cert);
    copyFileSync(certs.server.key, served.key);
    const s = await apiServer("request", "request", false, served);
    try {
      const health = (c: { cert: string; key: string } | undefined) => codeOf(createClient(LifecycleService, httpTransport(s.url, "connect", false, client(c))).health({}));
      expect({ none: await health(undefined), good: await health(certs.good), wrongCa: await health(certs.wrongCa) }).toEqual({ none: "ok", good: "ok", wrongCa: "refused" });
      const serial = () =>
        new Promise<string>((resolve, reject) => {
          const sock = tls.connect({ host: "127.0.0.1", port: Number(s.srv.http!.split(":").pop()), servername: "localhost", ca: pem(certs.ca) }, () => {
            resolve(sock.getPeerCertificate().serialNumber);
            sock.end();
          });
          sock.on("error", reject);
        });
      const before = await serial();
      const renewed = leaf(certs.dir, "renewed", "ca", "localhost", ["subjectAltName=DNS:localhost,IP:127.0.0.1"]);
      copyFileSync(renewed.key, served.key);
      copyFileSync(renewed.cert, served.cert);
      let now = before;
      await until(async () => (now = await serial()) !== before, { what: "the renewed certificate to be served", timeoutMs: 15_000, pollMs: 50, detail: () => `last seen: ${now}` });
      const want = (await run(["openssl", "x509", "-noout", "-serial", "-in", renewed.cert])).trim().replace(/^serial=/, "");
      expect({ serial: now.toUpperCase(), logged: s.logs.some((l) => l.msg === "TLS certificate reloaded") }).toEqual({ serial: want.toUpperCase(), logged: true });
    } finally {
      await s.srv.shutdown("test");
    }
  });
});

/** Opens a TLS connection with `c`, sends `line` once the handshake is done, resolves on close. */
function sendTls(port: number, c: { cert: string; key: string } | undefined, line: string): Promise<void> {
  return new Promise((resolve) => {
    const sock = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ca: pem(certs.ca), ...(c ? { cert: pem(c.cert), key: pem(c.key) } : {}) }, () => sock.end(line));
    sock.on("error", () => resolve());
    sock.on("close", () => resolve());
  });
}

/** The registry's receiver types whose own config validation accepts `listen` (built, never started). */
function typesAccepting(listen: string): string[] {
  const pipeline = new IngestPipeline({ append: async () => {} });
  return Object.keys(RECEIVER_TYPES).filter((type) => {
    try {
      createReceiver({ id: "probe", type, listen: [listen], tls: { certFile: "cert.pem", keyFile: "key.pem" } }, { pipeline });
      return true;
    } catch {
      return false;
    }
  });
}
/** Receiver types with a tls:// listener: the socket test below drives every one. */
const TLS_SOCKET_TYPES = typesAccepting("tls://127.0.0.1:0");
/** Receiver types with an https:// (and grpcs://) listener, each with its own test below. */
const TLS_HTTP_TYPES = ["http", "otlp"];
/** Receiver types without a TLS listener, and why. */
const NO_TLS_LISTENER: Record<string, string> = {
  tail: "reads local files",
  docker: "reads the local engine's socket or files",
  kubernetes: "reads local files",
  journald: "reads the local journal",
  kafka: "a client of brokers (its TLS options are for the broker connection)",
};

describe.skipIf(!OPENSSL)("receivers (needs openssl)", () => {
  for (const mode of ["require", "request"] as const) {
    test(`syslog over TLS with clientAuth ${mode}: refused clients are counted with their reasons, accepted ones stored`, async () => {
      await using h = await startHarness({ type: "syslog", listen: ["tls://127.0.0.1:0"], tls: { certFile: certs.server.cert, keyFile: certs.server.key, caFile: certs.ca, clientAuth: mode } });
      const port = h.port("tls");
      const sent = { good: certs.good, wrongCa: certs.wrongCa, expired: certs.expired, none: undefined };
      for (const [name, c] of Object.entries(sent)) await sendTls(port, c, `<13>1 2026-01-01T00:00:00Z host app - - - from ${name}\n`);
      const accepted = mode === "require" ? ["from good"] : ["from good", "from none"];
      await h.appender.waitFor(accepted.length);
      await until(() => h.receiver.stats().tlsRejected === 4 - accepted.length, { what: "the refusals to be counted", detail: () => `last seen: ${h.receiver.stats().tlsRejected}` });
      expect(h.records().map((r) => new TextDecoder().decode(r.raw).split(" - - - ")[1])).toEqual(accepted);
      expect(h.events.filter((e) => e.kind === "tls").map((e) => e.reason)).toEqual(mode === "require" ? ["unknown_ca", "expired", "no_certificate"] : ["unknown_ca", "expired"]);
    });
  }

  test("the mTLS tests here cover every receiver type that listens for network clients (a new type must join them or say why not)", () => {
    // The derived list is not empty by accident (a new tls:// type joins it without an edit); https:// types each need a test of their own.
    expect({ tcp: TLS_SOCKET_TYPES, https: typesAccepting("https://127.0.0.1:0") }).toEqual({ tcp: expect.arrayContaining(["syslog", "relp", "gelf", "fluent", "beats"]), https: TLS_HTTP_TYPES });
    expect(Object.keys(RECEIVER_TYPES).sort()).toEqual([...TLS_SOCKET_TYPES, ...TLS_HTTP_TYPES, ...Object.keys(NO_TLS_LISTENER)].sort());
  });

  test("every TCP receiver type honours clientAuth require: a wrong-CA client is refused and counted, a good one is let in", async () => {
    const seen: Record<string, unknown> = {};
    for (const type of TLS_SOCKET_TYPES) {
      await using h = await startHarness({ type, listen: ["tls://127.0.0.1:0"], tls: { certFile: certs.server.cert, keyFile: certs.server.key, caFile: certs.ca, clientAuth: "require" } });
      await sendTls(h.port("tls"), certs.wrongCa, "x");
      const sock = tls.connect({ host: "127.0.0.1", port: h.port("tls"), servername: "localhost", ca: pem(certs.ca), cert: pem(certs.good.cert), key: pem(certs.good.key) });
      await until(() => h.receiver.stats().connections === 1, { what: `${type} to accept the good client`, detail: () => `last seen: ${JSON.stringify(h.receiver.stats())}` });
      sock.destroy();
      seen[type] = { refused: h.receiver.stats().tlsRejected, reasons: h.events.filter((e) => e.kind === "tls").map((e) => e.reason) };
    }
    const want = { refused: 1, reasons: ["unknown_ca"] };
    expect(seen).toEqual(Object.fromEntries(TLS_SOCKET_TYPES.map((t) => [t, want])));
  });

  test("the HTTPS receiver under clientAuth require, with curl: a good certificate posts, others are refused and counted", async () => {
    await using h = await startHarness({ type: "http", listen: ["https://127.0.0.1:0"], tls: { certFile: certs.server.cert, keyFile: certs.server.key, caFile: certs.ca, clientAuth: "require" } });
    const url = `https://localhost:${h.port("https")}/ingest/text`;
    const curl = (c: { cert: string; key: string } | undefined) =>
      run(["curl", "-sS", "--resolve", `localhost:${h.port("https")}:127.0.0.1`, "--cacert", certs.ca, ...(c ? ["--cert", c.cert, "--key", c.key] : []), "-H", "X-Wait-Ack: true", "--data-binary", "over mtls", url]).then(
        (out) => out.trim(),
        () => "refused",
      );
    expect({ good: await curl(certs.good), wrongCa: await curl(certs.wrongCa), expired: await curl(certs.expired), none: await curl(undefined) }).toEqual({ good: '{"accepted":1}', wrongCa: "refused", expired: "refused", none: "refused" });
    expect({ stored: h.records().length, refused: h.receiver.stats().tlsRejected, reasons: h.events.filter((e) => e.kind === "tls").map((e) => e.reason) }).toEqual({ stored: 1, refused: 3, reasons: ["unknown_ca", "expired", "no_certificate"] });
  });

  for (const mode of ["require", "request"] as const) {
    test(`OTLP over https:// and grpcs:// with clientAuth ${mode}, with the SDK exporters: refused clients counted with their reasons, accepted ones stored`, async () => {
      await using h = await startHarness({ type: "otlp", listen: ["https://127.0.0.1:0", "grpcs://127.0.0.1:0"], tls: { certFile: certs.server.cert, keyFile: certs.server.key, caFile: certs.ca, clientAuth: mode } });
      const sender = join(import.meta.dir, "receivers/clients/otlp-send.cjs");
      const send = (kind: string, url: string, c: { cert: string; key: string } | undefined) =>
        run([process.execPath, sender, kind, url, "3", `ca=${certs.ca}`, ...(c ? [`cert=${c.cert}`, `key=${c.key}`] : []), "timeout=3000"]).then(
          (out) => out.trim().split("\n").pop(),
          () => "refused",
        );
      const outcome: Record<string, unknown> = {};
      for (const [kind, url] of [["http-proto", `https://localhost:${h.port("https")}/v1/logs`], ["grpc", `https://localhost:${h.port("grpcs")}`]] as const) {
        outcome[kind] = { good: await send(kind, url, certs.good), wrongCa: await send(kind, url, certs.wrongCa), expired: await send(kind, url, certs.expired), none: await send(kind, url, undefined) };
      }
      const none = mode === "require" ? "refused" : "sent 3";
      const want = { good: "sent 3", wrongCa: "refused", expired: "refused", none };
      expect({ outcome, stored: h.records().length }).toEqual({ outcome: { "http-proto": want, grpc: want }, stored: mode === "require" ? 6 : 12 });
      const reasons = new Set(h.events.filter((e) => e.kind === "tls").map((e) => e.reason));
      expect([...reasons].sort()).toEqual(mode === "require" ? ["expired", "no_certificate", "unknown_ca"] : ["expired", "unknown_ca"]);
    }, 60_000);
  }
});
