/**
 * Where the server listens by default, shared by `serve` and clients (the REPL): the Unix
 * socket is <data>/gastrolog.sock (next to the stores it serves, like upstream's
 * <home>/gastrolog.sock), HTTP is 127.0.0.1:4564.
 */

import { join } from "node:path";

export const DEFAULT_LISTEN = "127.0.0.1:4564";
export const SOCKET_NAME = "gastrolog.sock";

/** The default Unix socket of the server using `dataDir`. */
export function defaultSocketPath(dataDir: string): string {
  return join(dataDir, SOCKET_NAME);
}
