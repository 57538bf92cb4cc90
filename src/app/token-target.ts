/**
 * Where `gastrolog token` acts: a running server's TokenService (--addr, or the server holding
 * --data; the caller needs admin) or, with no server, the token table of `<data>/config.sqlite`
 * directly (the owner of the data directory bootstraps the first token this way).
 */

import { createClient } from "@connectrpc/connect";
import type { ClientCredentials } from "../api/transports.ts";
import { TokenService, type TokenInfo as TokenInfoPb } from "../api/gen/gastrolog/v1/token_pb.ts";
import { configDbPath } from "../config/sqlite-store.ts";
import { formatScope, parseScope } from "../security/scopes.ts";
import { TokenStore, type NewToken, type TokenInfo } from "../security/token-store.ts";
import { remoteError, serverLink } from "./server-client.ts";
import { i64 } from "../api/convert/int64.ts";

export interface TokenTarget {
  create(t: NewToken): Promise<{ secret: string; info: TokenInfo }>;
  list(): Promise<TokenInfo[]>;
  revoke(name: string): Promise<void>;
  close(): void;
}

function fromPb(t: TokenInfoPb | undefined): TokenInfo {
  const l = t?.limits;
  return {
    name: t?.name ?? "",
    scopes: (t?.scopes ?? []).map(parseScope),
    limits: { maxRangeUs: Number(l?.maxRangeUs ?? 0n), maxRows: l?.maxRows ?? 0, timeoutMs: l?.timeoutMs ?? 0, perMinute: l?.requestsPerMinute ?? 0 },
    certSubjects: t?.certSubjects ?? [],
    createdAt: Number(t?.createdAtUs ?? 0n),
    createdBy: t?.createdBy ?? "",
    expiresAt: Number(t?.expiresAtUs ?? 0n),
    lastUsedAt: Number(t?.lastUsedAtUs ?? 0n),
  };
}

/** The target for a command line: --addr, the server holding `dataDir`, or its database. */
export async function tokenTarget(dataDir: string, addr: string | undefined, creds: ClientCredentials): Promise<TokenTarget> {
  const link = await serverLink(dataDir, addr, creds);
  if (!link) {
    const store = TokenStore.open(configDbPath(dataDir));
    return { create: async (t) => store.create(t), list: async () => store.list(), revoke: async (n) => store.revoke(n), close: () => store.close() };
  }
  const c = createClient(TokenService, link.transport);
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw remoteError(err, link.where);
    }
  };
  return {
    create: (t) =>
      call(async () => {
        const l = t.limits;
        const r = await c.createToken({ name: t.name, scopes: t.scopes.map(formatScope), ttlUs: i64(t.ttlUs), certSubjects: [...(t.certSubjects ?? [])], limits: { maxRangeUs: i64(l.maxRangeUs), maxRows: l.maxRows, timeoutMs: l.timeoutMs, requestsPerMinute: l.perMinute } });
        return { secret: r.secret, info: fromPb(r.token) };
      }),
    list: () => call(async () => (await c.listTokens({})).tokens.map(fromPb)),
    revoke: (name) => call(async () => void (await c.revokeToken({ name }))),
    close() {},
  };
}
