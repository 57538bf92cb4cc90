/**
 * Listening sockets: TCP `HOST:PORT` and a Unix socket (mode 0600, created under a 0177
 * umask so it is never briefly world-accessible; a stale socket file left by a crash is
 * replaced, a live one is an error).
 */

import { chmodSync, existsSync, unlinkSync } from "node:fs";
import net from "node:net";
import { LogError } from "../../core/errors.ts";

/** Parses `HOST:PORT`, `[v6]:PORT` or `:PORT` (all interfaces). */
export function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new LogError("invalid_argument", `invalid --listen '${s}': expected HOST:PORT, e.g. 127.0.0.1:4564 or :4564`);
  return { host: m[1] ?? (m[2] || "0.0.0.0"), port };
}

function listenOn(server: net.Server, arg: net.ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(arg, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Listens on TCP; returns the bound "host:port" (the real port when 0 was asked). */
export async function listenTcp(server: net.Server, addr: string): Promise<string> {
  const { host, port } = parseListen(addr);
  try {
    await listenOn(server, { host, port });
  } catch (err) {
    throw new LogError("unavailable", `cannot listen on ${addr}: ${(err as Error).message}`);
  }
  const a = server.address() as net.AddressInfo;
  return a.family === "IPv6" ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

function socketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(path);
    c.once("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.once("error", () => resolve(false));
  });
}

/** Unix sockets longer than this do not fit sockaddr_un on Linux. */
const MAX_SOCKET_PATH = 107;

/** Listens on a Unix socket at `path` with mode 0600. */
export async function listenUnix(server: net.Server, path: string): Promise<void> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) throw new LogError("invalid_argument", `socket path too long (${Buffer.byteLength(path)} bytes > ${MAX_SOCKET_PATH}): ${path}; pass a shorter --socket`);
  if (existsSync(path)) {
    if (await socketAlive(path)) throw new LogError("already_exists", `another server is listening on ${path}; stop it or pass another --socket`);
    unlinkSync(path);
  }
  // The umask is process-wide: it is narrowed only around listen(), which binds the socket file
  // synchronously, and restored before awaiting, so nothing else the server creates meanwhile
  // (store directories, segments) gets 0600 modes.
  const old = process.umask(0o177);
  let listening: Promise<void>;
  try {
    listening = listenOn(server, { path });
  } finally {
    process.umask(old);
  }
  try {
    await listening;
  } catch (err) {
    throw new LogError("unavailable", `cannot listen on ${path}: ${(err as Error).message}`);
  }
  chmodSync(path, 0o600);
}
