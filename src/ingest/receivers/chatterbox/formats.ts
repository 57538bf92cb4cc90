/**
 * The chatterbox message formats: plain, kv, json, access, syslog and weird. Each
 * is a pure function of a seeded Rng, the attribute pools and the clock, returning the raw
 * line and the format's attributes.
 */

import type { Rng } from "./rng.ts";
import { weirdLine } from "./weird.ts";
import type { ChatterFormat } from "./params.ts";

export interface Pools {
  hosts: string[];
  services: string[];
}

export interface Chatter {
  raw: string | Uint8Array;
  attrs: Record<string, string>;
}

const SERVICE_CYCLE = ["api", "web", "backend", "worker", "gateway", "auth", "cache", "db-proxy", "scheduler", "metrics"];
const ENVS = ["prod", "staging", "dev", "test"];
const VHOSTS = ["example.com", "api.example.com", "admin.example.com", "cdn.example.com", "static.example.com"];
const LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"];
const PHRASES = [
  "service started", "service stopping", "replica caught up", "cache warmed", "config reloaded",
  "connection pool resized", "leader elected", "checkpoint written", "health check passed", "shutdown requested",
  "snapshot created", "migration complete", "worker idle", "queue drained", "certificate renewed",
  "backup finished", "index rebuilt", "session expired", "rate limit reset", "listener bound",
];
const PATHS = ["/", "/health", "/api/v1/users", "/api/v1/orders", "/login", "/static/app.js", "/metrics", "/search?q=logs"];
const METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];
const STATUSES = [200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 500, 502, 503];
const AGENTS = ["curl/8.5.0", "Mozilla/5.0 (X11; Linux x86_64)", "Go-http-client/1.1", "python-requests/2.31"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const FACILITIES: [string, number][] = [["kern", 0], ["user", 1], ["mail", 2], ["daemon", 3], ["auth", 4], ["syslog", 5], ["lpr", 6], ["cron", 9], ["authpriv", 10], ["local0", 16], ["local7", 23]];
const PROGRAMS = ["sshd", "sudo", "kernel", "systemd", "cron", "postfix/smtp"];

/** The first `n` services of the cycle (repeating past 10) and hosts host-1..host-N. */
export function makePools(hostCount: number, serviceCount: number): Pools {
  return {
    hosts: Array.from({ length: hostCount }, (_, i) => `host-${i + 1}`),
    services: Array.from({ length: serviceCount }, (_, i) => SERVICE_CYCLE[i % SERVICE_CYCLE.length]!),
  };
}

function ip(rng: Rng): string {
  return `${rng.pick([198, 203, 192])}.${rng.pick([51, 0])}.${rng.int(256)}.${rng.range(1, 255)}`;
}

function kvLine(rng: Rng): string {
  const level = `level=${rng.pick(LEVELS)}`;
  switch (rng.int(4)) {
    case 0:
      return `${level} msg="request handled" method=${rng.pick(METHODS)} path=${rng.pick(PATHS)} status=${rng.pick(STATUSES)} latency_ms=${rng.int(900)}`;
    case 1:
      return `${level} msg="${rng.pick(["query done", "invoice sent", "rows updated"])}" table=${rng.pick(["orders", "users", "invoices"])} rows=${rng.int(500)} duration_ms=${rng.int(300)} cached=${rng.pick(["true", "false"])}`;
    case 2:
      return `${level} msg="user action" user_id=${rng.range(1000, 9999)} action=${rng.pick(["login", "logout", "update_profile", "purchase"])} ip=${ip(rng)} user_agent="${rng.pick(AGENTS)}"`;
    default:
      return `${level} msg="span finished" trace_id=${rng.hex(16)} span_id=${rng.hex(8)} duration_ms=${rng.int(2000)}`;
  }
}

function jsonLine(rng: Rng, nowMs: number): string {
  const level = rng.pick(LEVELS).toLowerCase();
  const variants: Record<string, unknown>[] = [
    { bytes: rng.int(100000), level, method: rng.pick(METHODS), msg: "http request", path: rng.pick(PATHS), status: rng.pick(STATUSES), ts: nowMs },
    { error: rng.pick(["disk quota exceeded", "connection reset", "timeout"]), level, msg: "upload rejected", retry_count: rng.int(5), stack: `store.go:${rng.range(10, 400)}`, ts: nowMs },
    { amount: rng.int(50000) / 100, currency: "EUR", event: rng.pick(["order_placed", "refund_issued"]), level, msg: "business event", ts: nowMs },
    { cpu_pct: rng.int(1000) / 10, level, mem_mb: rng.int(16384), msg: "system metrics", ts: nowMs },
    { duration_ms: rng.int(3000), level, msg: "span", span_id: rng.hex(8), trace_id: rng.hex(16), ts: nowMs },
  ];
  return JSON.stringify(rng.pick(variants)); // keys are written in sorted order above
}

function accessLine(rng: Rng, d: Date): string {
  const user = rng.next() < 0.9 ? "-" : `user${String(rng.int(100)).padStart(2, "0")}`;
  const ts = `${String(d.getUTCDate()).padStart(2, "0")}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
  return `${ip(rng)} - ${user} [${ts}] "${rng.pick(METHODS)} ${rng.pick(PATHS)} HTTP/1.1" ${rng.pick(STATUSES)} ${rng.int(20000)} "-" "${rng.pick(AGENTS)}"`;
}

function syslogLine(rng: Rng, d: Date, host: string): { line: string; program: string; facility: string } {
  const [facility, code] = rng.pick(FACILITIES);
  const program = rng.pick(PROGRAMS);
  const pri = code * 8 + rng.int(8);
  const stamp = `${MONTHS[d.getUTCMonth()]}  ${d.getUTCDate()} ${d.toISOString().slice(11, 19)}`;
  const msg = rng.pick([`Connection closed by ${ip(rng)} port ${rng.range(1024, 65535)}`, "session opened for user root", "Started Daily apt activities.", `pam_unix: authentication failure; rhost=${ip(rng)}`]);
  return { line: `<${pri}>${stamp} ${host} ${program}[${rng.range(100, 65535)}]: ${msg}`, program, facility };
}

/** One message of `format` at wall-clock `nowUs`. */
export function chatter(format: ChatterFormat, rng: Rng, pools: Pools, nowUs: number): Chatter {
  const host = rng.pick(pools.hosts);
  const d = new Date(Math.floor(nowUs / 1000));
  switch (format) {
    case "plain":
      return { raw: rng.pick(PHRASES), attrs: { service: rng.pick(pools.services), host } };
    case "kv":
      return { raw: kvLine(rng), attrs: { service: rng.pick(pools.services), env: rng.pick(ENVS), host } };
    case "json":
      return { raw: jsonLine(rng, Math.floor(nowUs / 1000)), attrs: { service: rng.pick(pools.services), env: rng.pick(ENVS), host } };
    case "access":
      return { raw: accessLine(rng, d), attrs: { service: "nginx", vhost: rng.pick(VHOSTS), host } };
    case "syslog": {
      const s = syslogLine(rng, d, host);
      return { raw: s.line, attrs: { service: s.program, facility: s.facility, host } };
    }
    case "weird":
      return { raw: weirdLine(rng), attrs: { service: "unknown", host } };
  }
}
