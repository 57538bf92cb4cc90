/**
 * The permission table: EVERY RPC method the server registers (walked from its router, so a new
 * method is covered automatically — it fails here until it has a request below) is called
 * over HTTP on a server with auth on with no token, a bad token, an expired token, a token of
 * the wrong scope, a token of the right scope but the wrong store (store-limited scopes), and
 * the right token: only the last succeeds. Methods every authenticated caller may use (health,
 * readiness, version, reflection) have no wrong scope; the table says so. Shutdown runs last.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, createConnectRouter } from "@connectrpc/connect";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IngestService } from "../src/api/gen/gastrolog/v1/ingest_pb.ts";
import { StoreService } from "../src/api/gen/gastrolog/v1/store_pb.ts";
import { ConfigService } from "../src/api/gen/gastrolog/v1/config_pb.ts";
import { registerServicesWithReflection } from "../src/api/reflection.ts";
import { httpTransport, socketTransport } from "../src/api/transports.ts";
import { startServer, type RunningServer } from "../src/app/server/server.ts";
import { configDbPath } from "../src/config/sqlite-store.ts";
import { silentLogger } from "../src/observability/logger.ts";
import { methodRule } from "../src/security/access.ts";
import { parseScope, type ScopeName } from "../src/security/scopes.ts";
import { TokenStore } from "../src/security/token-store.ts";
import { serverDir } from "./support/server.ts";

const enc = new TextEncoder();
const { dir, cleanup } = serverDir();
let srv: RunningServer;
let tokens: TokenStore;
let chunk = "";
let created = 0;

/** A request that the right token makes succeed; `store` when it names one (wrong-store case). */
interface Case {
  request: () => unknown;
  store?: string;
}

const CASES: Record<string, Case> = {
  "gastrolog.v1.QueryService/Search": { request: () => ({ query: { store: "default", text: "hello" } }), store: "default" },
  "gastrolog.v1.QueryService/Explain": { request: () => ({ query: { store: "default", text: "hello" } }), store: "default" },
  "gastrolog.v1.QueryService/Aggregate": { request: () => ({ query: { store: "default", text: "hello | stats count() by host" } }), store: "default" },
  "gastrolog.v1.QueryService/Follow": { request: () => ({ query: { store: "default" } }), store: "default" },
  "gastrolog.v1.QueryService/GetContext": { request: () => ({ ref: { store: "default", chunk, pos: 0 }, before: 1, after: 1 }), store: "default" },
  "gastrolog.v1.QueryService/ValidateQuery": { request: () => ({ text: "error last=1h" }) },
  "gastrolog.v1.StoreService/ListStores": { request: () => ({}) },
  "gastrolog.v1.StoreService/ListChunks": { request: () => ({ store: "default" }), store: "default" },
  "gastrolog.v1.StoreService/GetChunk": { request: () => ({ store: "default", chunk }), store: "default" },
  "gastrolog.v1.StoreService/GetIndexReport": { request: () => ({ store: "default", chunk }), store: "default" },
  "gastrolog.v1.StoreService/GetIndexStats": { request: () => ({ store: "default", chunk }), store: "default" },
  "gastrolog.v1.StoreService/ListAttributeKeys": { request: () => ({ store: "default" }), store: "default" },
  "gastrolog.v1.StoreService/GetStats": { request: () => ({}) },
  "gastrolog.v1.StoreService/SealActive": { request: () => ({ store: "default" }), store: "default" },
  "gastrolog.v1.ConfigService/GetConfig": { request: () => ({}) },
  "gastrolog.v1.ConfigService/GetConfigHistory": { request: () => ({}) },
  "gastrolog.v1.ConfigService/GetConfigVersion": { request: () => ({}) },
  "gastrolog.v1.ConfigService/DiffConfig": { request: () => ({ from: 0n }) },
  "gastrolog.v1.ConfigService/ExportConfig": { request: () => ({}) },
  "gastrolog.v1.ConfigService/GetRetention": { request: () => ({}) },
  "gastrolog.v1.ConfigService/ApplyConfig": { request: () => ({ configJson: JSON.stringify(srv.host.config!.store.current().config) }) },
  "gastrolog.v1.ConfigService/SetConfig": { request: () => ({ assignments: ["stores[default].retention.maxChunks=0"] }), store: "default" },
  "gastrolog.v1.ConfigService/RollbackConfig": { request: () => ({ version: BigInt(srv.host.config!.store.current().version) }) },
  "gastrolog.v1.ConfigService/SetRetention": { request: () => ({ store: "default", assignments: ["maxChunks=0"] }), store: "default" },
  "gastrolog.v1.ConfigService/SweepRetention": { request: () => ({ store: "default" }), store: "default" },
  "gastrolog.v1.LifecycleService/Health": { request: () => ({}) },
  "gastrolog.v1.LifecycleService/Ready": { request: () => ({}) },
  "gastrolog.v1.LifecycleService/Version": { request: () => ({}) },
  "gastrolog.v1.LifecycleService/Status": { request: () => ({}) },
  "gastrolog.v1.LifecycleService/Shutdown": { request: () => ({ reason: "permission table done" }) },
  "gastrolog.v1.IngestService/Append": { request: () => ({ store: "default", records: [{ raw: enc.encode("from the table") }] }), store: "default" },
  "gastrolog.v1.TokenService/CreateToken": { request: () => ({ name: `new-${created++}`, scopes: ["query"] }) },
  "gastrolog.v1.TokenService/ListTokens": { request: () => ({}) },
  "gastrolog.v1.TokenService/RevokeToken": { request: () => ({ name: "to-revoke" }) },
  "grpc.reflection.v1.ServerReflection/ServerReflectionInfo": { request: () => ({ messageRequest: { case: "listServices", value: "" } }) },
  "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": { request: () => ({ messageRequest: { case: "listServices", value: "" } }) },
};

/** A scope that does not grant `scope` (the wrong-scope token). */
const WRONG: Record<ScopeName, string> = { query: "ingest", ingest: "query", "config:read": "query", "config:write": "config:read", admin: "config:write" };

/** Every method the server's router serves, Shutdown last. */
function routedMethods(): { service: DescService; method: DescMethod; path: string }[] {
  const router = createConnectRouter();
  registerServicesWithReflection(router, srv.host);
  const out = router.handlers.map((h) => ({ service: h.service, method: h.method, path: `${h.service.typeName}/${h.method.name}` }));
  return out.sort((a, b) => Number(a.path.endsWith("/Shutdown")) - Number(b.path.endsWith("/Shutdown")));
}

function token(name: string, scopes: string[], ttlUs = 0): string {
  return tokens.create({ name, scopes: scopes.map(parseScope), limits: { maxRangeUs: 0, maxRows: 0, timeoutMs: 0, perMinute: 0 }, ttlUs, createdBy: "test" }).secret;
}

/** Calls `method` with `secret` (undefined: no token); the Connect code, or "ok". */
async function call(service: DescService, method: DescMethod, request: unknown, secret: string | undefined): Promise<string> {
  const client = createClient(service, httpTransport(`http://${srv.http}`, "connect", true, secret === undefined ? {} : { token: secret })) as unknown as Record<string, (r: unknown, o?: unknown) => unknown>;
  const fn = client[method.localName]!;
  const abort = new AbortController();
  try {
    if (method.methodKind === "unary") await fn(request);
    else if (method.methodKind === "server_streaming") {
      for await (const _ of fn(request, { signal: abort.signal }) as AsyncIterable<unknown>) break;
    } else {
      const input = (async function* () {
        yield request;
      })();
      for await (const _ of fn(input, { signal: abort.signal }) as AsyncIterable<unknown>) break;
    }
    return "ok";
  } catch (err) {
    return Code[ConnectError.from(err).code];
  } finally {
    abort.abort();
  }
}

beforeAll(async () => {
  mkdirSync(join(dir, "data"), { recursive: true });
  const config = join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ stores: [{ name: "default", type: "memory", route: "*" }, { name: "secret", type: "memory", route: "" }] }));
  srv = await startServer({ dataDir: join(dir, "data"), configFile: config, socket: join(dir, "s.sock"), listen: "127.0.0.1:0", auth: true, demo: false, logger: silentLogger });
  tokens = TokenStore.open(configDbPath(join(dir, "data")));
  const local = socketTransport(join(dir, "s.sock"));
  const refs = await createClient(IngestService, local).append({ store: "default", records: [{ raw: enc.encode("hello one") }, { raw: enc.encode("hello two") }] });
  chunk = refs.refs[0]!.chunk;
  await createClient(StoreService, local).sealActive({ store: "default" });
  expect((await createClient(ConfigService, local).getConfig({})).config?.stores.map((s) => s.name)).toEqual(["default", "secret"]);
});

afterAll(async () => {
  tokens?.close();
  await srv?.shutdown("test end");
  cleanup();
});

test("every RPC: no, bad, expired, wrong-scope and wrong-store tokens are refused; only the right token succeeds", async () => {
  const methods = routedMethods();
  expect(methods.length).toBe(Object.keys(CASES).length);
  const rows: Record<string, Record<string, string>> = {};
  const want: Record<string, Record<string, string>> = {};
  for (const [i, { service, method, path }] of methods.entries()) {
    const c = CASES[path];
    if (!c) throw new Error(`no request for ${path} in the permission table: add one to CASES`);
    const rule = methodRule(path);
    const id = `m${i}`;
    const right = rule.kind === "authenticated" ? ["ingest:store=secret"] : rule.scope === "admin" ? ["admin"] : rule.stores === "all" ? [`${rule.scope}`] : [`${rule.scope}:store=${c.store ?? "default"}`];
    if (path.endsWith("/RevokeToken")) token("to-revoke", ["query"]);
    const secrets: Record<string, string | undefined> = {
      none: undefined,
      bad: `glt_0123456789ab_${"x".repeat(43)}`,
      expired: token(`${id}-expired`, right, 1),
    };
    const expected: Record<string, string> = { none: "Unauthenticated", bad: "Unauthenticated", expired: "Unauthenticated" };
    if (rule.kind === "scope") {
      secrets.wrongScope = token(`${id}-scope`, [WRONG[rule.scope]]);
      expected.wrongScope = "PermissionDenied";
      if (rule.stores === "all" && rule.scope !== "admin") {
        secrets.wrongStore = token(`${id}-store`, [`${rule.scope}:store=default`]);
        expected.wrongStore = "PermissionDenied";
      } else if (c.store !== undefined) {
        secrets.wrongStore = token(`${id}-store`, [`${rule.scope}:store=secret`]);
        expected.wrongStore = "PermissionDenied";
      }
    }
    secrets.right = token(`${id}-right`, right);
    expected.right = "ok";
    rows[path] = {};
    for (const [k, secret] of Object.entries(secrets)) rows[path]![k] = await call(service, method, c.request(), secret);
    want[path] = expected;
  }
  expect(rows).toEqual(want);
}, 60_000);
