/**
 * ConfigTarget over a running server's API (ConfigService), and how the CLI picks its target:
 * --addr (a socket path, `unix:PATH`, or `http(s)://host:port`), else the server that holds
 * --data (found through `<data>/server.json`), else the SQLite file of --data.
 */

import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { fromDiffPb, fromVersionInfoPb } from "../api/convert/config.ts";
import { ConfigService, type ConfigChange } from "../api/gen/gastrolog/v1/config_pb.ts";
import { httpTransport, socketTransport } from "../api/transports.ts";
import type { GastroConfig } from "../config/schema.ts";
import { LogError, type ErrorCode } from "../core/errors.ts";
import { localTarget, type ChangeOutcome, type ConfigTarget } from "./config-target.ts";
import { runningServer } from "./server/server-info.ts";

/** A transport for an --addr value. */
export function addrTransport(addr: string): Transport {
  if (/^https?:\/\//.test(addr)) return httpTransport(addr.replace(/\/+$/, ""), "connect");
  if (addr.startsWith("unix:")) return socketTransport(addr.slice("unix:".length));
  if (addr.includes("/") || addr.endsWith(".sock")) return socketTransport(addr);
  throw new LogError("invalid_argument", `--addr '${addr}' is not a socket path, unix:PATH or http(s)://host:port`);
}

/** The target for a command line: --addr, the running server of `dataDir`, or the file. */
export function configTarget(dataDir: string, addr: string | undefined): ConfigTarget {
  if (addr !== undefined) return remoteTarget(addrTransport(addr), addr);
  const server = runningServer(dataDir);
  if (server && (server.socket !== "" || server.http !== "")) {
    return remoteTarget(server.socket !== "" ? socketTransport(server.socket) : httpTransport(`http://${server.http}`, "connect"), `server pid ${server.pid}`);
  }
  return localTarget(dataDir);
}

const CODES: Partial<Record<Code, ErrorCode>> = {
  [Code.InvalidArgument]: "invalid_argument",
  [Code.NotFound]: "not_found",
  [Code.Unavailable]: "unavailable",
  [Code.FailedPrecondition]: "locked",
  [Code.PermissionDenied]: "permission_denied",
};

/** Runs a call, turning Connect errors back into LogErrors (same exit codes as local work). */
async function call<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = ConnectError.from(err);
    if (e.code === Code.Unavailable && /ECONNREFUSED|ENOENT|connect/i.test(e.rawMessage)) {
      throw new LogError("unavailable", `cannot reach the server at ${where}: ${e.rawMessage}`);
    }
    throw new LogError(CODES[e.code] ?? "internal", e.rawMessage);
  }
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
          deleted: r.deleted.map((d) => ({ store: d.store, id: d.chunk, reason: d.reason as "age" | "chunks" | "bytes", storedBytes: Number(d.storedBytes) })),
          errors: r.errors.map((e) => ({ store: e.store, id: e.chunk, message: e.message })),
        };
      }),
    close() {},
  };
}
