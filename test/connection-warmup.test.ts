/**
 * The connection warm-up: after "ready" a server makes one Health call to itself over its Unix
 * socket when the socket admits its own uid, and none when the socket demands tokens (so no
 * refusal is counted); the call itself reports a server's error status and a missing server.
 */

import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../src/observability/logger.ts";
import { startServer } from "../src/app/server/server.ts";
import { warmConnectionPath } from "../src/app/server/connection-warmup.ts";
import { until } from "./support/until.ts";

const dir = mkdtempSync(join(tmpdir(), "conn-warm-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serveWith(name: string, socketAuth: "trust" | "token"): Promise<string[]> {
  const logs: string[] = [];
  const config = join(dir, `${name}.json`);
  writeFileSync(config, JSON.stringify({ server: { socketAuth }, stores: [{ name: "default", type: "memory", route: "*" }] }));
  const logger = createLogger({ level: "debug", format: "text", write: (l) => logs.push(l) });
  const srv = await startServer({ dataDir: join(dir, name), configFile: config, socket: join(dir, `${name}.sock`), listen: "off", demo: false, logger });
  try {
    // The query path warm-up always runs; once it logged, a connection warm-up started with it has had its turn too.
    await until(() => logs.some((l) => l.includes("query path warmed up")) && (socketAuth === "token" || logs.some((l) => l.includes("connection path warm"))));
  } finally {
    await srv.shutdown("test end");
  }
  return logs;
}

test("a server whose socket trusts its uid calls itself once after ready; one that demands tokens does not", async () => {
  const trusted = await serveWith("trust", "trust");
  const tokens = await serveWith("token", "token");
  expect({
    trusted: trusted.filter((l) => l.includes("connection path warm")).map((l) => /connection path warm\S* \S+/.exec(l)?.[0]),
    tokens: tokens.filter((l) => l.includes("connection path warm") || l.includes("refused")),
  }).toEqual({ trusted: ["connection path warmed up"], tokens: [] });
});

test("the call reports a server's gRPC error status, and a socket nobody listens on", async () => {
  const socket = join(dir, "h2.sock");
  const server = http2.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/grpc", "grpc-status": "14" });
    res.end();
  });
  await new Promise<void>((r) => server.listen(socket, r));
  try {
    const failed = await warmConnectionPath(socket);
    expect(failed.error).toBe("Health answered grpc-status 14");
  } finally {
    server.close();
  }
  const missing = await warmConnectionPath(join(dir, "nobody.sock"));
  expect(missing.error).toMatch(/ENOENT|ECONNREFUSED|no such file/i);
});
