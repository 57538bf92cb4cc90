/**
 * Who is calling (a Principal: a token, the trusted socket owner, or anyone while auth is off)
 * and what each RPC needs: METHOD_RULES says, per `package.Service/Method`, which scope a
 * caller must hold — for at least one store ("any": the service then checks the stores a
 * request touches) or for every store ("all"). A method missing from the table needs admin.
 */

import { LogError } from "../core/errors.ts";
import { NO_LIMITS, type QueryLimits } from "./limits.ts";
import { ALL, allows, allowsAny, type Scope, type ScopeName } from "./scopes.ts";

export interface Principal {
  /** Token name; "local" or "uid:N" on the Unix socket; "anonymous" while auth is off. */
  name: string;
  /** True when a token (or a client certificate mapped to one) authenticated the call. */
  token: boolean;
  scopes: readonly Scope[];
  limits: QueryLimits;
}

/** A caller allowed everything: auth off, or the trusted owner of the Unix socket. */
export function superuser(name: string): Principal {
  return { name, token: false, scopes: [{ name: "admin", stores: ALL }], limits: NO_LIMITS };
}

export type MethodRule = { kind: "authenticated" } | { kind: "scope"; scope: ScopeName; stores: "any" | "all" };

const any = (scope: ScopeName): MethodRule => ({ kind: "scope", scope, stores: "any" });
const all = (scope: ScopeName): MethodRule => ({ kind: "scope", scope, stores: "all" });
const authenticated: MethodRule = { kind: "authenticated" };
const REFLECTION = "ServerReflection/ServerReflectionInfo";

/** What each RPC needs (docs/security.md has the same table for people). */
export const METHOD_RULES: Readonly<Record<string, MethodRule>> = {
  "gastrolog.v1.QueryService/Search": any("query"),
  "gastrolog.v1.QueryService/Explain": any("query"),
  "gastrolog.v1.QueryService/Follow": any("query"),
  "gastrolog.v1.QueryService/Aggregate": any("query"),
  "gastrolog.v1.QueryService/GetContext": any("query"),
  "gastrolog.v1.QueryService/ValidateQuery": any("query"),
  "gastrolog.v1.StoreService/ListStores": any("query"),
  "gastrolog.v1.StoreService/ListChunks": any("query"),
  "gastrolog.v1.StoreService/GetChunk": any("query"),
  "gastrolog.v1.StoreService/GetIndexReport": any("query"),
  "gastrolog.v1.StoreService/GetIndexStats": any("query"),
  "gastrolog.v1.StoreService/ListAttributeKeys": any("query"),
  "gastrolog.v1.StoreService/GetStats": any("query"),
  "gastrolog.v1.StoreService/SealActive": any("config:write"),
  "gastrolog.v1.ConfigService/GetConfig": all("config:read"),
  "gastrolog.v1.ConfigService/GetConfigHistory": all("config:read"),
  "gastrolog.v1.ConfigService/GetConfigVersion": all("config:read"),
  "gastrolog.v1.ConfigService/DiffConfig": all("config:read"),
  "gastrolog.v1.ConfigService/ExportConfig": all("config:read"),
  "gastrolog.v1.ConfigService/GetRetention": any("config:read"),
  "gastrolog.v1.ConfigService/ApplyConfig": all("config:write"),
  "gastrolog.v1.ConfigService/SetConfig": any("config:write"),
  "gastrolog.v1.ConfigService/RollbackConfig": all("config:write"),
  "gastrolog.v1.ConfigService/SetRetention": any("config:write"),
  "gastrolog.v1.ConfigService/SweepRetention": any("config:write"),
  "gastrolog.v1.LifecycleService/Health": authenticated,
  "gastrolog.v1.LifecycleService/Ready": authenticated,
  "gastrolog.v1.LifecycleService/Version": authenticated,
  "gastrolog.v1.LifecycleService/Status": all("config:read"),
  "gastrolog.v1.LifecycleService/Shutdown": all("admin"),
  "gastrolog.v1.IngestService/Append": any("ingest"),
  "gastrolog.v1.TokenService/CreateToken": all("admin"),
  "gastrolog.v1.TokenService/ListTokens": all("admin"),
  "gastrolog.v1.TokenService/RevokeToken": all("admin"),
  [`grpc.reflection.v1.${REFLECTION}`]: authenticated,
  [`grpc.reflection.v1alpha.${REFLECTION}`]: authenticated,
};

/** The rule of `method` (`package.Service/Method`); admin for a method not in the table. */
export function methodRule(method: string): MethodRule {
  return METHOD_RULES[method] ?? all("admin");
}

/** Throws LogError("permission_denied") unless `p` may call `method` at all. */
export function checkMethod(p: Principal, method: string): void {
  const r = methodRule(method);
  if (r.kind === "authenticated") return;
  const ok = r.stores === "all" ? allows(p.scopes, r.scope, ALL) : allowsAny(p.scopes, r.scope);
  if (!ok) throw new LogError("permission_denied", `${p.name} may not call ${method}: it needs scope ${r.scope}${r.stores === "all" ? " on every store (store=*)" : ""}`);
}

/** True when `p` holds `scope` on `store`. */
export function may(p: Principal, scope: ScopeName, store: string): boolean {
  return allows(p.scopes, scope, store);
}

/** Throws LogError("permission_denied") unless `p` holds `scope` on `store`. */
export function requireAccess(p: Principal, scope: ScopeName, store: string, what: string): void {
  if (!allows(p.scopes, scope, store)) {
    throw new LogError("permission_denied", `${p.name} may not ${what}: it needs scope ${scope} on ${store === ALL ? "every store (store=*)" : `store '${store}'`}`);
  }
}
