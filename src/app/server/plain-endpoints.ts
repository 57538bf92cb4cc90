/**
 * The plain HTTP GET endpoints beside the RPC routes: /healthz and /readyz (always open, for
 * probes) and /metrics (Prometheus; open, behind a Bearer token, or off). Also serves the
 * metrics-only listener (`--metrics-listen`), where nothing else exists.
 */

import type http from "node:http";
import type http2 from "node:http2";
import { errorMessage } from "../../core/errors.ts";
import type { Metrics } from "../../observability/metrics.ts";

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

export interface PlainEndpointOptions {
  /** The host phase for /readyz ("ready" answers 200). */
  phase(): string;
  metrics?: Metrics;
  /** "token": /metrics needs a valid Bearer token (`authorize` says why not, or undefined). */
  metricsAccess: "open" | "token" | "off";
  authorize?(req: Req): Promise<string | undefined>;
}

function text(res: Res, status: number, body: string, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(body);
}

/**
 * A handler answering the plain endpoints; returns false for any other request (the caller
 * routes it on). `onlyMetrics`: the metrics listener, where /healthz and /readyz do not exist.
 */
export function plainEndpoints(o: PlainEndpointOptions, onlyMetrics = false): (req: Req, res: Res) => boolean {
  return (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (!onlyMetrics && path === "/healthz") return (text(res, 200, "ok\n"), true);
    if (!onlyMetrics && path === "/readyz") {
      const phase = o.phase();
      return (text(res, phase === "ready" ? 200 : 503, `${phase}\n`), true);
    }
    if (path !== "/metrics" || !o.metrics || o.metricsAccess === "off") return false;
    void serveMetrics(o, o.metrics, req, res);
    return true;
  };
}

async function serveMetrics(o: PlainEndpointOptions, metrics: Metrics, req: Req, res: Res): Promise<void> {
  try {
    if (o.metricsAccess === "token") {
      const why = await o.authorize?.(req);
      if (why !== undefined) return text(res, 401, `${why}\n`, { "www-authenticate": 'Bearer realm="gastrolog"' });
    }
    const e = await metrics.expose(req.headers.accept);
    res.statusCode = 200;
    res.setHeader("content-type", e.contentType);
    res.setHeader("cache-control", "no-store");
    res.end(req.method === "HEAD" ? "" : e.body);
  } catch (err) {
    text(res, 500, `metrics failed: ${errorMessage(err)}\n`);
  }
}
