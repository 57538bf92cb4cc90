/**
 * Where `gastrolog query` sends its request: a running server's QueryService (--addr, or the
 * server holding --data), else the same QueryService over the store files of --data in this
 * process (query-local.ts). Either way the caller holds a Transport and speaks the API, so
 * every query feature behaves the same locally and remotely. Each side is loaded only when used.
 */

import type { Transport } from "@connectrpc/connect";
import type { ClientCredentials } from "../api/transports.ts";
import { serverLink } from "./server-client.ts";

/** A transport to a QueryService, how to name it in errors, and what to close afterwards. */
export interface QueryLink {
  transport: Transport;
  where: string;
  close(): Promise<void>;
}

/**
 * The server for `addr` or the one holding `dataDir`, else `store` of `dataDir` opened here
 * ("*" = all). Creates nothing: an unknown data directory or store is a not_found error naming
 * what exists (data-dir.ts).
 */
export async function openQueryLink(dataDir: string, addr: string | undefined, store: string, env: Record<string, string | undefined>, creds: ClientCredentials = {}): Promise<QueryLink> {
  const link = await serverLink(dataDir, addr, creds);
  if (link) return { ...link, close: async () => {} };
  const { requireDataDir } = await import("./data-dir.ts");
  requireDataDir(dataDir, env);
  const { openLocalQuery } = await import("./query-local.ts");
  return openLocalQuery(dataDir, store);
}
