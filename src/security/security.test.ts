/** Scopes, secrets, the token store, authentication policy, rate limits and TLS verdicts. */

import { expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkMethod, superuser, type Principal } from "./access.ts";
import { Authenticator, bearerToken, type AuthPolicy, type Credentials } from "./authenticate.ts";
import { NO_LIMITS, RateLimiter } from "./limits.ts";
import { allows, formatScope, parseScope } from "./scopes.ts";
import { certSubjects, judgeClient, reasonOf } from "./tls.ts";
import { TokenStore } from "./token-store.ts";

test("scopes parse, print back and grant", () => {
  const texts = ["admin", "query", "query:store=web,default", "ingest:store=*", "config:read:store=web", "config:write"];
  expect(texts.map((t) => formatScope(parseScope(t)))).toEqual(["admin", "query:store=*", "query:store=default,web", "ingest:store=*", "config:read:store=web", "config:write:store=*"]);
  const bad = ["quer", "admin:store=web", "query:web", "query:store=", "query:store=a b"];
  expect(bad.map((t) => { try { parseScope(t); return "accepted"; } catch (e) { return (e as Error).message.split(":")[0]; } })).toEqual(["unknown scope \"quer\" (scopes", "scope \"admin\" covers everything and takes no store list (got \"admin", "scope \"query", "scope \"query", "scope \"query"]);
  const s = ["query:store=web", "config:write:store=web"].map(parseScope);
  const asks: [Parameters<typeof allows>[1], string][] = [["query", "web"], ["query", "db"], ["query", "*"], ["config:read", "web"], ["ingest", "web"]];
  expect(asks.map(([scope, store]) => allows(s, scope, store))).toEqual([true, false, false, true, false]);
  expect(allows([parseScope("admin")], "ingest", "*")).toBe(true);
});

test("token store: the secret works once stored, only a salted hash is kept, expiry and revocation count at once", () => {
  const dir = mkdtempSync(join(tmpdir(), "tokens-"));
  try {
    let now = 1_000_000;
    const path = join(dir, "config.sqlite");
    const store = TokenStore.open(path, () => now);
    const a = store.create({ name: "ci", scopes: [parseScope("ingest")], limits: { ...NO_LIMITS, maxRows: 5 }, ttlUs: 60_000_000, createdBy: "me", certSubjects: ["CN=peer"] });
    const b = store.create({ name: "ops", scopes: [parseScope("admin")], limits: NO_LIMITS, ttlUs: 0, createdBy: "me" });
    expect(a.secret).toMatch(/^glt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(() => store.create({ name: "ci", scopes: [parseScope("query")], limits: NO_LIMITS, ttlUs: 0, createdBy: "me" })).toThrow('a token named "ci" exists');
    const raw = new Database(path).query("SELECT * FROM api_tokens").all() as Record<string, unknown>[];
    expect(raw.map((r) => Object.values(r).some((v) => typeof v === "string" && v.includes(a.secret.slice(17))))).toEqual([false, false]);
    const verified = store.verify(a.secret);
    expect(verified === "unknown" || verified === "expired" ? verified : { name: verified.name, rows: verified.limits.maxRows, lastUsedAt: verified.lastUsedAt }).toEqual({ name: "ci", rows: 5, lastUsedAt: now });
    expect([store.verify(a.secret.slice(0, -1) + (a.secret.endsWith("A") ? "B" : "A")), store.verify("nonsense")]).toEqual(["unknown", "unknown"]);
    const bySubject = store.verifySubjects(["DNS:x", "CN=peer"]);
    expect(typeof bySubject === "string" ? bySubject : bySubject.name).toBe("ci");
    expect(store.verifySubjects(["CN=stranger"])).toBe("unknown");
    now += 60_000_000;
    expect(store.verify(a.secret)).toBe("expired");
    store.revoke("ops");
    expect(store.verify(b.secret)).toBe("unknown");
    expect(() => store.revoke("ops")).toThrow('no token named "ops"');
    expect(store.list().map((t) => t.name)).toEqual(["ci"]);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("authentication policy: where tokens are needed, socket uids, bad credentials always refused", () => {
  const dir = mkdtempSync(join(tmpdir(), "auth-"));
  try {
    const store = TokenStore.open(join(dir, "config.sqlite"));
    const good = store.create({ name: "q", scopes: [parseScope("query")], limits: NO_LIMITS, ttlUs: 0, createdBy: "t" }).secret;
    const on: AuthPolicy = { http: true, socket: "token", socketUids: [1000] };
    const off: AuthPolicy = { http: false, socket: "trust", socketUids: [] };
    const who = (p: AuthPolicy, c: Credentials) => {
      try {
        return new Authenticator(store, p).authenticate(c).name;
      } catch (e) {
        return `refused: ${(e as { reason: string }).reason}`;
      }
    };
    const cases: [AuthPolicy, Credentials, string][] = [
      [on, { listener: "http" }, "refused: missing"],
      [on, { listener: "http", bearer: good }, "q"],
      [on, { listener: "http", bearer: "glt_nope" }, "refused: unknown"],
      [on, { listener: "unix", uid: 1000 }, "uid:1000"],
      [on, { listener: "unix", uid: 0 }, "refused: missing"],
      [on, { listener: "unix" }, "refused: missing"],
      [on, { listener: "http", certSubjects: ["CN=nobody"] }, "refused: certificate"],
      [off, { listener: "http" }, "anonymous"],
      [off, { listener: "unix" }, "local"],
      [off, { listener: "http", bearer: "glt_nope" }, "refused: unknown"],
      [off, { listener: "unix", bearer: good }, "q"],
    ];
    expect(cases.map(([p, c]) => who(p, c))).toEqual(cases.map(([, , w]) => w));
    expect([bearerToken("Bearer abc"), bearerToken("bearer  abc "), bearerToken(undefined), bearerToken("abc")]).toEqual(["abc", "abc", undefined, "abc"]);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("method rules: a method missing from the table needs admin", () => {
  const q: Principal = { name: "q", token: true, scopes: [parseScope("query:store=web")], limits: NO_LIMITS };
  const can = (p: Principal, m: string) => {
    try {
      checkMethod(p, m);
      return true;
    } catch {
      return false;
    }
  };
  expect([can(q, "gastrolog.v1.QueryService/Search"), can(q, "gastrolog.v1.ConfigService/GetConfig"), can(q, "gastrolog.v1.LifecycleService/Health"), can(q, "gastrolog.v1.NewService/Anything"), can(superuser("x"), "gastrolog.v1.NewService/Anything")]).toEqual([true, false, true, false, true]);
});

test("rate limiter: a sliding minute per token", () => {
  let now = 0;
  const r = new RateLimiter(() => now);
  const takes = [r.take("a", 2), r.take("a", 2), r.take("a", 2), r.take("b", 2), r.take("a", 0)];
  now = 60_000;
  expect([...takes, r.take("a", 2)]).toEqual([0, 0, 60_000, 0, 0, 0]);
});

test("TLS verdicts per client-auth mode, reasons and certificate subjects", () => {
  const peer = { subject: { CN: "ci-client" }, subjectaltname: "DNS:ci-client, URI:spiffe://gl/ci, IP Address:10.0.0.1" };
  const expired = { code: "CERT_HAS_EXPIRED", message: "certificate has expired" };
  const cases: [Parameters<typeof judgeClient>[0], Parameters<typeof judgeClient>[1]][] = [
    ["none", { authorized: false, peer: null }],
    ["request", { authorized: false, peer: {} }],
    ["request", { authorized: false, error: expired, peer }],
    ["request", { authorized: true, peer }],
    ["require", { authorized: false, peer: {} }],
    ["require", { authorized: false, error: { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", message: "unable to verify the first certificate" }, peer }],
  ];
  expect(cases.map(([m, f]) => judgeClient(m, f))).toEqual([
    { ok: true, subjects: [] },
    { ok: true, subjects: [] },
    { ok: false, reason: "expired", message: "certificate has expired (CERT_HAS_EXPIRED)" },
    { ok: true, subjects: ["CN=ci-client", "DNS:ci-client", "URI:spiffe://gl/ci", "IP:10.0.0.1"] },
    { ok: false, reason: "no_certificate", message: "no client certificate was presented (ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE)" },
    { ok: false, reason: "unknown_ca", message: "unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)" },
  ]);
  expect([reasonOf("CERT_REVOKED"), reasonOf("ERR_SSL_WRONG_VERSION_NUMBER"), reasonOf(undefined)]).toEqual(["invalid_certificate", "handshake_failed", "handshake_failed"]);
  expect(certSubjects({ subject: { CN: ["a", "b"] } })).toEqual(["CN=a", "CN=b"]);
});
