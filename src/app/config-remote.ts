/**
 * ConfigTarget over a running server's API (ConfigService), and how the CLI picks its target:
 * --addr (a socket path, `unix:PATH`, or `http(s)://host:port`), else the server that holds
 * --data (found through `<data>/server.json`), else the SQLite file of --data.
 */

import { createClient, type Transport } from "@connectrpc/connect";
import { fromDiffPb, fromVersionInfoPb } from "../api/convert/config.ts";
import { ConfigService, type ConfigChange } from "../api/gen/gastrolog/v1/config_pb.ts";
import type { GastroConfig } from "../config/schema.ts";
import { localTarget, type ChangeOutcome, type ConfigTarget } from "./config-target.ts";
import type { ClientCredentials } from "../api/transports.ts";
import { requireDataDir } from "./data-dir.ts";
import { remoteCall as call, serverLink } from "./server-client.ts";

/**
 * The target for a command line: --addr, the running server of `dataDir`, or the file. With
 * `readOnly` (the environment, for the message) a local data directory must exist already.
 */
export async function configTarget(dataDir: string, addr: string | undefined, creds: ClientCredentials = {}, readOnly?: { env: Record<string, string | undefined> }): Promise<ConfigTarget> {
  const link = await serverLink(dataDir, addr, creds);
  if (link) return remoteTarget(link.transport, link.where);
  if (readOnly) requireDataDir(dataDir, readOnly.env);
  return localTarget(dataDir);
}

function outcome(c: ConfigChange | undefined): ChangeOutcome {
  const o: ChangeOutcome = { changed: c?.changed ?? false, version: fromVersionInfoPb(c?.version) };
  if (c?.applyError) o.applyError = c.applyError;
  return o;
}

/** A ConfigTarget talking to ConfigService over `transport` (`where` names it in errors). */
export function remoteTarget(transport: Transport, where: string): ConfigTarget {
  const c = createClient(ConfigService, transport);
  return {
    get: (n) =>
      call(where, async () => {
        const r = await c.getConfigVersion(n === undefined ? {} : { version: BigInt(n) });
        return { ...fromVersionInfoPb(r.info), config: JSON.parse(r.configJson) as GastroConfig };
      }),
    history: (limit) => call(where, async () => (await c.getConfigHistory({ limit: limit ?? 0 })).versions.map(fromVersionInfoPb)),
    diff: (a, b) => call(where, async () => (await c.diffConfig(b === undefined ? { from: BigInt(a) } : { from: BigInt(a), to: BigInt(b) })).diff.map(fromDiffPb)),
    export: () => call(where, async () => (await c.exportConfig({})).configJson),
    set: (assignments, meta) => call(where, async () => outcome((await c.setConfig({ assignments, ...meta })).change)),
    rollback: (version, meta) => call(where, async () => outcome((await c.rollbackConfig({ version: BigInt(version), ...meta })).change)),
    apply: (config, meta) => call(where, async () => outcome((await c.applyConfig({ configJson: JSON.stringify(config), ...meta })).change)),
    setRetention: (store, assignments, meta) => call(where, async () => outcome((await c.setRetention({ store, assignments, ...meta })).change)),
    sweep: (store) =>
      call(where, async () => {
        const r = await c.sweepRetention({ store: store ?? "" });
        return {
          stores: r.stores,
          deleted: r.deleted.map((d) => ({ store: d.store, id: d.chunk, reason: d.reason as "age" | "chunks" | "bytes", storedBytes: Number(d.storedBytes) })),
          errors: r.errors.map((e) => ({ store: e.store, id: e.chunk, message: e.message })),
        };
      }),
    close() {},
  };
}
