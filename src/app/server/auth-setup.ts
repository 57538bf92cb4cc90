/**
 * The server's authentication settings from flags and config: whether the HTTP listener
 * demands tokens (`serve --auth`, `server.auth: true`, or "auto" — on unless the listener is
 * loopback-only), the refusal to listen beyond loopback without auth unless
 * --insecure-no-auth, the Unix socket's policy, and the TLS settings of the HTTP listener.
 */

import { LogError } from "../../core/errors.ts";
import type { ServerConfig } from "../../config/schema.ts";
import type { AuthPolicy } from "../../security/authenticate.ts";
import type { TlsFiles } from "../../security/tls.ts";
import { parseListen } from "./listen.ts";

/** Flags of `serve` that override the config. */
export interface AuthFlags {
  /** --auth (true) or --insecure-no-auth (false). */
  auth?: boolean;
  insecureNoAuth?: boolean;
  /** --tls-cert, --tls-key, --tls-client-ca, --tls-client-auth. */
  tls?: Partial<TlsFiles>;
}

/** True when HOST:PORT binds loopback only (127.0.0.0/8, ::1, localhost). */
export function loopbackOnly(listen: string): boolean {
  const { host } = parseListen(listen);
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The policy for a server listening on `listen` ("off" = no HTTP listener). */
export function authPolicy(s: ServerConfig, f: AuthFlags, listen: string): AuthPolicy {
  const exposed = listen !== "off" && !loopbackOnly(listen);
  const setting = f.insecureNoAuth ? false : (f.auth ?? s.auth);
  const http = setting === "auto" ? exposed : setting;
  if (exposed && !http && !f.insecureNoAuth) {
    throw new LogError("invalid_argument", `refusing to serve the API on ${listen} (beyond loopback) without authentication: use --auth (or server.auth: true) and create tokens with 'gastrolog token create', or pass --insecure-no-auth to accept anyone who can reach it`);
  }
  return { http, socket: s.socketAuth, socketUids: s.socketUids };
}

/** TLS of the HTTP listener: flags over server.tls; undefined = plain HTTP. */
export function apiTls(s: ServerConfig, f: AuthFlags): TlsFiles | undefined {
  const cert = f.tls?.cert ?? s.tls?.cert;
  const key = f.tls?.key ?? s.tls?.key;
  const ca = f.tls?.ca ?? s.tls?.ca ?? "";
  const clientAuth = f.tls?.clientAuth ?? (f.tls?.ca ? "require" : (s.tls?.clientAuth ?? "none"));
  if (cert === undefined && key === undefined) {
    if (ca !== "" || clientAuth !== "none") throw new LogError("invalid_argument", "client certificates (--tls-client-ca, --tls-client-auth) need TLS: give --tls-cert and --tls-key too");
    return undefined;
  }
  if (!cert || !key) throw new LogError("invalid_argument", "TLS needs both --tls-cert and --tls-key (server.tls.cert and key)");
  return { cert, key, ca, clientAuth };
}
