/**
 * TokenService: create (the secret returned once), list and revoke API tokens in the host's
 * token store (admin only, by METHOD_RULES). Records who created each token: the caller's
 * token name, else the peer.
 */

import type { ServiceImpl } from "@connectrpc/connect";
import { LogError } from "../../core/errors.ts";
import type { QueryLimits } from "../../security/limits.ts";
import { formatScope, parseScope } from "../../security/scopes.ts";
import type { TokenInfo, TokenStore } from "../../security/token-store.ts";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { TokenService, type TokenInfoSchema, type TokenLimits } from "../gen/gastrolog/v1/token_pb.ts";
import { fromI64, i64 } from "../convert/int64.ts";
import type { EngineHost } from "../host.ts";
import { peerKey } from "../peer.ts";
import { principalOf } from "./access.ts";

function store(host: EngineHost): TokenStore {
  if (!host.tokens) throw new LogError("unavailable", "this engine runs without a token store (tokens live in <data>/config.sqlite of a server)");
  return host.tokens;
}

function limitsOf(l: TokenLimits | undefined): QueryLimits {
  return { maxRangeUs: fromI64(l?.maxRangeUs ?? 0n, "limits.max_range_us"), maxRows: l?.maxRows ?? 0, timeoutMs: l?.timeoutMs ?? 0, perMinute: l?.requestsPerMinute ?? 0 };
}

/** A token as the API shows it. */
export function toTokenInfoPb(t: TokenInfo): MessageInitShape<typeof TokenInfoSchema> {
  return {
    name: t.name,
    scopes: t.scopes.map(formatScope),
    limits: { maxRangeUs: i64(t.limits.maxRangeUs), maxRows: t.limits.maxRows, timeoutMs: t.limits.timeoutMs, requestsPerMinute: t.limits.perMinute },
    certSubjects: t.certSubjects,
    createdAtUs: i64(t.createdAt),
    createdBy: t.createdBy,
    expiresAtUs: i64(t.expiresAt),
    lastUsedAtUs: i64(t.lastUsedAt),
  };
}

export function tokenService(host: EngineHost): ServiceImpl<typeof TokenService> {
  return {
    async createToken(req, ctx) {
      const p = principalOf(ctx);
      const r = store(host).create({
        name: req.name,
        scopes: req.scopes.map(parseScope),
        limits: limitsOf(req.limits),
        certSubjects: req.certSubjects,
        ttlUs: fromI64(req.ttlUs, "ttl_us"),
        createdBy: p.token ? p.name : ctx.values.get(peerKey),
      });
      return { secret: r.secret, token: toTokenInfoPb(r.info) };
    },

    async listTokens() {
      return { tokens: store(host).list().map(toTokenInfoPb) };
    },

    async revokeToken(req) {
      store(host).revoke(req.name);
      return {};
    },
  };
}
