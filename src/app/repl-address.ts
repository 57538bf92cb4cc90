/**
 * Where `gastrolog repl [ADDRESS]` connects: a Unix socket path or `unix:PATH` (gRPC), or
 * `http(s)://host:port` (Connect protocol); by default the socket of the local server that
 * uses the default data directory (the same path `serve` listens on). Checks that something
 * answers before the REPL starts, with a message that says what to do when nothing does.
 */

import { existsSync } from "node:fs";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { LifecycleService } from "../api/gen/gastrolog/v1/lifecycle_pb.ts";
import { httpTransport, socketTransport, type ClientCredentials } from "../api/transports.ts";
import { LogError } from "../core/errors.ts";
import { unreachable } from "./server-client.ts";
import { defaultSocketPath } from "./server/defaults.ts";

export interface ServerAddress {
  /** As shown to the user: unix:/path or http://host:port. */
  label: string;
  /** Socket path for unix addresses. */
  socket?: string;
  transport: Transport;
}

/** How long the first Health call may take before we call the server unreachable. */
const PROBE_TIMEOUT_MS = 3000;

/** Parses ADDRESS (or the default socket under `dataDir`). Throws invalid_argument for bad forms. */
export function parseAddress(address: string | undefined, dataDir: string, creds: ClientCredentials = {}): ServerAddress {
  const a = address ?? defaultSocketPath(dataDir);
  if (/^https?:\/\//.test(a)) {
    let url: URL;
    try {
      url = new URL(a);
    } catch {
      throw new LogError("invalid_argument", `invalid server address '${a}': expected http(s)://host:port, unix:PATH or a socket path`);
    }
    const base = `${url.protocol}//${url.host}`;
    return { label: base, transport: sayingUnreachable(httpTransport(base, "connect", false, creds), base) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(a)) {
    throw new LogError("invalid_argument", `unsupported server address '${a}': use http(s)://host:port, unix:PATH or a socket path`);
  }
  const path = a.startsWith("unix:") ? a.slice("unix:".length) : a;
  if (path === "") throw new LogError("invalid_argument", "empty socket path in 'unix:'");
  const label = `unix:${path}`;
  return { label, socket: path, transport: sayingUnreachable(socketTransport(path, creds), label) };
}

/**
 * `t` with "nothing answers" failures (server stopped, socket gone) turned into one UNAVAILABLE
 * message naming the server, instead of the socket layer's "connect ENOENT ...".
 */
function sayingUnreachable(t: Transport, label: string): Transport {
  const map = (err: unknown): unknown => {
    const why = unreachable(err);
    return why ? new ConnectError(`server at ${label} is not reachable (${why}): it stopped or moved; start it again (gastrolog serve) or reconnect`, Code.Unavailable, undefined, undefined, err) : err;
  };
  async function* messages<T>(it: AsyncIterable<T>): AsyncIterable<T> {
    try {
      yield* it;
    } catch (err) {
      throw map(err);
    }
  }
  return {
    unary: (...args) => t.unary(...args).catch((err: unknown) => Promise.reject(map(err))),
    stream: async (...args) => {
      try {
        const r = await t.stream(...args);
        return { ...r, message: messages(r.message) };
      } catch (err) {
        throw map(err);
      }
    },
  };
}

/** Throws LogError("unavailable") with advice when no GastroLog server answers at `addr`. */
export async function probeServer(addr: ServerAddress): Promise<void> {
  const advice = "Start one with 'gastrolog serve', pass its address (gastrolog repl unix:PATH or http://HOST:PORT), or run 'gastrolog repl --embedded'.";
  if (addr.socket !== undefined && !existsSync(addr.socket)) {
    throw new LogError("unavailable", `no GastroLog server at ${addr.label}: the socket does not exist. ${advice}`);
  }
  try {
    await createClient(LifecycleService, addr.transport).health({}, { timeoutMs: PROBE_TIMEOUT_MS });
  } catch (err) {
    if (err instanceof ConnectError && err.code === Code.Unauthenticated) {
      throw new LogError("unauthenticated", `the server at ${addr.label} requires a token: ${err.rawMessage}`);
    }
    const e = ConnectError.from(err);
    const why = unreachable(e.cause) ?? e.message;
    throw new LogError("unavailable", `no GastroLog server answers at ${addr.label} (${why}). ${advice}`);
  }
}
