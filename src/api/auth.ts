/**
 * Authentication and authorization at the API border. The server puts each request's
 * connection facts into its context values (connectionKey: which listener, the verified client
 * certificate's subjects, the socket peer's uid); the interceptor adds the Authorization header,
 * authenticates (security/authenticate.ts), checks the method's rule (security/access.ts) and
 * the token's requests-per-minute limit on queries, and leaves the Principal in principalKey
 * for the services' per-store checks. Without the interceptor (the in-process transport of
 * the embedded REPL) the caller is a superuser. Refusals are counted by reason.
 */

import { createContextKey, type Interceptor } from "@connectrpc/connect";
import { principalKey } from "./principal.ts";
import { LogError } from "../core/errors.ts";
import type { Metrics } from "../observability/metrics.ts";
import { checkMethod } from "../security/access.ts";
import { AuthError, bearerToken, type Authenticator, type Credentials } from "../security/authenticate.ts";
import { RateLimiter } from "../security/limits.ts";
import { toConnectError } from "./errors.ts";

/** Connection facts the server knows before the request is read (no header yet). */
export const connectionKey = createContextKey<Omit<Credentials, "bearer"> | undefined>(undefined, { description: "gastrolog connection" });

/** Methods subject to a token's requests-per-minute limit. */
const RATE_LIMITED = new Set(["gastrolog.v1.QueryService"]);

/** The router interceptor for `auth` (first in the chain, before the query observer). */
export function authInterceptor(auth: Authenticator, metrics?: Metrics): Interceptor {
  const limiter = new RateLimiter();
  return (next) => async (req) => {
    const method = `${req.service.typeName}/${req.method.name}`;
    try {
      const conn = req.contextValues.get(connectionKey);
      const p = auth.authenticate({ listener: conn?.listener ?? "http", ...conn, bearer: bearerToken(req.header.get("authorization")) });
      checkMethod(p, method);
      if (RATE_LIMITED.has(req.service.typeName)) {
        const wait = limiter.take(p.name, p.limits.perMinute);
        if (wait > 0) throw new LogError("limit", `token ${p.name} may make ${p.limits.perMinute} queries per minute; retry in ${Math.ceil(wait / 1000)} s`);
      }
      req.contextValues.set(principalKey, p);
    } catch (err) {
      if (err instanceof AuthError) metrics?.authFailures.inc({ reason: err.reason });
      else if (err instanceof LogError && err.code === "permission_denied") metrics?.authFailures.inc({ reason: "forbidden" });
      throw toConnectError(err);
    }
    return next(req);
  };
}
