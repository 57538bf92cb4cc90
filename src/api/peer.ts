/**
 * Who is calling: the server puts the peer into each request's context values ("local" on the
 * Unix socket, "ADDRESS:PORT" over TCP); the in-process transport leaves the default
 * "in-process". ConfigService records it as the author when a request names none.
 */

import { createContextKey, createContextValues, type ContextValues } from "@connectrpc/connect";

/** The caller's identity for config history. */
export const peerKey = createContextKey<string>("in-process", { description: "gastrolog peer" });

/** Context values for a request arriving on `socket` (node's net.Socket shape). */
export function peerValues(socket: { remoteAddress?: string; remotePort?: number } | undefined): ContextValues {
  const values = createContextValues();
  const addr = socket?.remoteAddress;
  values.set(peerKey, addr === undefined || addr === "" ? "local" : `${addr.includes(":") ? `[${addr}]` : addr}:${socket?.remotePort ?? 0}`);
  return values;
}
