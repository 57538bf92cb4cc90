/**
 * Turns what a request presents — a Bearer token, a verified client certificate, the Unix
 * socket and its peer uid — into a Principal, or refuses it (LogError "unauthenticated") saying
 * why. The policy says where tokens are required: on the HTTP listener when auth is on; on the
 * socket when socketAuth is "token" (uids listed in socketUids are admitted as admin).
 * A presented token is always checked, also where none is required.
 */

import { LogError } from "../core/errors.ts";
import { superuser, type Principal } from "./access.ts";
import type { TokenInfo, TokenStore } from "./token-store.ts";

/** Facts about one request's connection and headers. */
export interface Credentials {
  listener: "http" | "unix";
  /** The Authorization: Bearer value. */
  bearer?: string;
  /** Subjects of a client certificate that verified (CN=..., DNS:..., URI:..., IP:...). */
  certSubjects?: readonly string[];
  /** Peer uid on the Unix socket, when it could be read. */
  uid?: number;
}

export interface AuthPolicy {
  /** Tokens required on the HTTP listener. */
  http: boolean;
  socket: "trust" | "token";
  socketUids: readonly number[];
}

/** Why a request was refused, as counted in gastrolog_auth_failures_total. */
export type AuthFailure = "missing" | "unknown" | "expired" | "certificate";

export class AuthError extends LogError {
  constructor(
    readonly reason: AuthFailure,
    message: string,
  ) {
    super("unauthenticated", message);
    this.name = "AuthError";
  }
}

export class Authenticator {
  constructor(
    private readonly tokens: TokenStore | undefined,
    readonly policy: AuthPolicy,
  ) {}

  /** The caller of a request with `c`; throws AuthError when it must be refused. */
  authenticate(c: Credentials): Principal {
    if (c.bearer !== undefined) return principal(this.check(this.tokens?.verify(c.bearer) ?? "unknown", "token"));
    const required = c.listener === "http" ? this.policy.http : this.policy.socket === "token";
    if (c.certSubjects && c.certSubjects.length > 0 && this.tokens) {
      const t = this.tokens.verifySubjects(c.certSubjects);
      if (t !== "unknown") return principal(this.check(t, "certificate"));
      if (required) throw new AuthError("certificate", `client certificate (${c.certSubjects.join(", ")}) is not mapped to a token; send a token or map the certificate with token create --cert-subject`);
    }
    if (!required) return superuser(c.listener === "unix" ? "local" : "anonymous");
    if (c.listener === "unix" && c.uid !== undefined && this.policy.socketUids.includes(c.uid)) return superuser(`uid:${c.uid}`);
    const where = c.listener === "unix" ? `the socket (uid ${c.uid ?? "unknown"} is not in server.socketUids)` : "this server";
    throw new AuthError("missing", `authentication required by ${where}: send Authorization: Bearer <token> (gastrolog --token, GASTROLOG_TOKEN or --token-file)`);
  }

  private check(t: TokenInfo | "unknown" | "expired", what: string): TokenInfo {
    if (t === "unknown") throw new AuthError("unknown", `the ${what} presented is not a valid token (unknown or revoked)`);
    if (t === "expired") throw new AuthError("expired", `the ${what} presented has expired; create a new one with gastrolog token create`);
    return t;
  }
}

function principal(t: TokenInfo): Principal {
  return { name: t.name, token: true, scopes: t.scopes, limits: t.limits };
}

/** The token in an `Authorization: Bearer X` header value (undefined when absent). */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : header.trim();
}
