/**
 * The first client connection to a just-started server paid far more than the next ones:
 * node:http2's server session, the Connect node adapter, the router and the auth interceptor
 * all ran for the first time in it (measured on the 10M bench store: a `gastrolog query` process
 * started at "ready" took ~165 ms, ~75 ms when one Health call on another connection had gone
 * first, ~45 ms on a warm server). A server calls warmConnectionPath() once it is ready, when
 * its socket's policy admits its own uid without a token: one gRPC Health call to itself over
 * its Unix socket, made with node:http2 directly (no Connect client is loaded), so the first
 * user's connection finds that code run. Health is not a query: nothing is counted in the
 * query metrics. Resolves with the time it took (and why it failed); never throws.
 */

import http2 from "node:http2";
import net from "node:net";

/** Longest the call may take before the warm-up gives up on it. */
const TIMEOUT_MS = 5000;
const HEALTH_PATH = "/gastrolog.v1.LifecycleService/Health";
/** One gRPC message frame: uncompressed, length 0 (an empty HealthRequest). */
const EMPTY_FRAME = new Uint8Array(5);

export function warmConnectionPath(socket: string): Promise<{ millis: number; error?: string }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const session = http2.connect("http://localhost", { createConnection: () => net.connect(socket) });
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(error === undefined ? { millis: performance.now() - t0 } : { millis: performance.now() - t0, error });
    };
    const timer = setTimeout(() => finish(`no answer in ${TIMEOUT_MS} ms`), TIMEOUT_MS);
    timer.unref?.();
    session.on("error", (err) => finish(err.message));
    const req = session.request({ ":method": "POST", ":path": HEALTH_PATH, "content-type": "application/grpc", te: "trailers" });
    let status: string | undefined;
    // A gRPC error without a body comes as headers only ("trailers-only"); otherwise in the trailers.
    req.on("response", (h) => (status = h["grpc-status"] === undefined ? status : String(h["grpc-status"])));
    req.on("trailers", (h) => (status = h["grpc-status"] === undefined ? status : String(h["grpc-status"])));
    req.on("error", (err) => finish(err.message));
    req.on("close", () => finish(status === "0" ? undefined : `Health answered grpc-status ${status ?? "(none)"}`));
    req.resume();
    req.end(EMPTY_FRAME);
  });
}
