/**
 * Listen URLs of receivers: `udp://`, `tcp://`, `tls://`, `http://`, `https://`, `grpc://`
 * (gRPC over HTTP/2 cleartext), `grpcs://` (gRPC over TLS) with a host
 * (IPv6 in brackets) and a port (0 = any free port). Pure parsing and formatting.
 */

import { LogError } from "../../core/errors.ts";
import type { ReceiverConfig } from "./receiver.ts";

export type Transport = "udp" | "tcp" | "http" | "grpc";

/** One parsed listen address. */
export interface ListenAddress {
  transport: Transport;
  tls: boolean;
  hostname: string;
  port: number;
}

const SCHEMES: Record<string, [Transport, boolean]> = {
  "udp:": ["udp", false],
  "tcp:": ["tcp", false],
  "tls:": ["tcp", true],
  "http:": ["http", false],
  "https:": ["http", true],
  "grpc:": ["grpc", false],
  "grpcs:": ["grpc", true],
};

/** Parses a listen URL; throws LogError("invalid_argument") quoting the bad value. */
export function parseListenUrl(url: string): ListenAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new LogError("invalid_argument", `listen address ${JSON.stringify(url)} is not a URL like udp://127.0.0.1:5514`);
  }
  const scheme = SCHEMES[u.protocol];
  if (!scheme) throw new LogError("invalid_argument", `listen address ${JSON.stringify(url)}: scheme must be udp, tcp, tls, http, https, grpc or grpcs`);
  if (u.port === "" && !/:0$/.test(u.host)) throw new LogError("invalid_argument", `listen address ${JSON.stringify(url)} needs an explicit port`);
  if ((u.pathname !== "" && u.pathname !== "/") || u.search !== "" || u.username !== "") {
    throw new LogError("invalid_argument", `listen address ${JSON.stringify(url)} must be scheme://host:port only`);
  }
  const hostname = u.hostname.startsWith("[") ? u.hostname.slice(1, -1) : u.hostname;
  if (hostname === "") throw new LogError("invalid_argument", `listen address ${JSON.stringify(url)} needs a host (0.0.0.0 for all)`);
  return { transport: scheme[0], tls: scheme[1], hostname, port: u.port === "" ? 0 : Number(u.port) };
}

/** Formats a bound address back into a URL. */
export function formatListenUrl(a: ListenAddress): string {
  const scheme = a.transport === "udp" ? "udp" : a.transport === "tcp" ? (a.tls ? "tls" : "tcp") : `${a.transport}${a.tls ? "s" : ""}`;
  const host = a.hostname.includes(":") ? `[${a.hostname}]` : a.hostname;
  return `${scheme}://${host}:${a.port}`;
}

/**
 * A receiver's listen URLs, parsed and checked against the transports its type speaks
 * (`schemes` names them in the error); a TLS scheme needs the config's certificate.
 */
export function receiverAddresses(config: ReceiverConfig, transports: readonly Transport[], schemes: string): ListenAddress[] {
  const out = config.listen.map(parseListenUrl);
  if (out.length === 0) throw new LogError("invalid_argument", `receiver ${config.id}: needs at least one listen address`);
  for (const a of out) {
    if (!transports.includes(a.transport)) throw new LogError("invalid_argument", `receiver ${config.id}: ${config.type} listens on ${schemes} only`);
    if (a.tls && !config.tls) throw new LogError("invalid_argument", `receiver ${config.id}: ${formatListenUrl(a).split(":")[0]}:// needs tls.certFile and tls.keyFile`);
  }
  return out;
}
