/**
 * Which running server a CLI command talks to (an explicit --addr, else the server recorded
 * in `<data>/server.json` while it is alive) and how Connect errors come back as LogErrors with
 * the exit codes local work would give. No RPCs here; callers build their own clients.
 */

import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import type { ClientCredentials } from "../api/transports.ts";
import { LogError, type ErrorCode } from "../core/errors.ts";
import { httpBase, runningServer } from "./server/server-info.ts";

/** A transport for an --addr value: a socket path, `unix:PATH` or `http(s)://host:port`. */
async function addrTransport(addr: string, creds: ClientCredentials): Promise<Transport> {
  // The network client (node:http2, node:net) is loaded only when a server is used.
  const { httpTransport, socketTransport } = await import("../api/transports.ts");
  if (/^https?:\/\//.test(addr)) return httpTransport(addr.replace(/\/+$/, ""), "connect", false, creds);
  if (addr.startsWith("unix:")) return socketTransport(addr.slice("unix:".length), creds);
  if (addr.includes("/") || addr.endsWith(".sock")) return socketTransport(addr, creds);
  throw new LogError("invalid_argument", `--addr '${addr}' is not a socket path, unix:PATH or http(s)://host:port`);
}

/** A transport to a server and how to name it in errors. */
export interface ServerLink {
  transport: Transport;
  where: string;
}

/**
 * The server for `--addr` (when given) or the live server holding `dataDir`; undefined = none.
 * `creds` go with every call.
 */
export async function serverLink(dataDir: string, addr: string | undefined, creds: ClientCredentials = {}): Promise<ServerLink | undefined> {
  if (addr !== undefined) return { transport: await addrTransport(addr, creds), where: addr };
  const s = runningServer(dataDir);
  if (!s) return undefined;
  if (s.socket !== "") return { transport: await addrTransport(`unix:${s.socket}`, creds), where: `server pid ${s.pid} (${s.socket})` };
  if (s.http !== "") return { transport: await addrTransport(httpBase(s), creds), where: `server pid ${s.pid} (${httpBase(s)})` };
  return undefined;
}

const CODES: Partial<Record<Code, ErrorCode>> = {
  [Code.InvalidArgument]: "invalid_argument",
  [Code.NotFound]: "not_found",
  [Code.Unavailable]: "unavailable",
  [Code.FailedPrecondition]: "locked",
  [Code.PermissionDenied]: "permission_denied",
  [Code.Unauthenticated]: "unauthenticated",
  [Code.ResourceExhausted]: "limit",
  [Code.DeadlineExceeded]: "deadline_exceeded",
};

/**
 * Why `err` means no server answers (e.g. "connect ENOENT /x.sock"), or undefined. A missing
 * socket file surfaces as INTERNAL, a closed port as UNAVAILABLE.
 */
export function unreachable(err: unknown): string | undefined {
  const e = ConnectError.from(err);
  const nothing = /^connect (ECONNREFUSED|ENOENT|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT)\b/i.test(e.rawMessage);
  return (e.code === Code.Unavailable || e.code === Code.Internal) && nothing ? e.rawMessage : undefined;
}

/** A thrown RPC failure as a LogError; "nothing listening" says which address was tried. */
export function remoteError(err: unknown, where: string): LogError {
  if (err instanceof LogError) return err;
  const e = ConnectError.from(err);
  const why = unreachable(e);
  if (why) return new LogError("unavailable", `cannot reach the server at ${where}: ${why}`);
  if (e.code === Code.Unauthenticated) return new LogError("unauthenticated", `not authenticated by the server at ${where}: ${e.rawMessage}`);
  if (e.code === Code.PermissionDenied) return new LogError("permission_denied", `not permitted by the server at ${where}: ${e.rawMessage}`);
  return new LogError(CODES[e.code] ?? "internal", e.rawMessage);
}

/** Runs an RPC, turning Connect errors back into LogErrors (same exit codes as local work). */
export async function remoteCall<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw remoteError(err, where);
  }
}
