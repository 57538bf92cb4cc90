/**
 * The engine behind the API: opens the configured file stores (seals in a Worker), builds the
 * LocalHost the services run on, and owns the demo receiver. Used by `serve`, and meant for the
 * REPL's embedded mode too (openEngine + createInProcessTransport(engine.host)).
 *
 * Close order: receivers stop (their appends settle) -> appends in flight settle -> stores
 * flush, fsync and finish seals -> seal workers stop.
 */

import { LocalHost } from "../../api/local-host.ts";
import type { HostStore } from "../../api/host.ts";
import { errorMessage } from "../../core/errors.ts";
import { ChatterboxReceiver } from "../../ingest/receivers/chatterbox/receiver.ts";
import type { Logger } from "../../observability/logger.ts";
import { buildCommit, VERSION } from "../build-info.ts";
import { storeDir } from "../paths.ts";
import { openStore, type OpenedStore } from "../stores.ts";
import type { BootConfig } from "./boot-config.ts";

export interface EngineOptions {
  dataDir: string;
  config: BootConfig;
  logger: Logger;
  /** Add the chatterbox demo receiver appending to the first store. */
  demo?: boolean;
  /** Called when a client asks for shutdown (LifecycleService.Shutdown). */
  onShutdownRequest?: (reason: string) => void;
}

export interface Engine {
  readonly host: LocalHost;
  /** Starts receivers and marks the host ready. */
  start(): void;
  /** Stops receivers, waits for appends, closes stores (see the header for the order). */
  close(): Promise<void>;
}

/** Opens every configured store; on failure closes the ones already open and rethrows. */
export async function openEngine(o: EngineOptions): Promise<Engine> {
  const log = o.logger.child("engine");
  const opened: { name: string; store: OpenedStore }[] = [];
  try {
    for (const s of o.config.stores) {
      const slog = o.logger.child(`store.${s.name}`);
      const store = await openStore(o.dataDir, s.name, { rotation: s.rotation, durability: s.durability, logger: (level, msg) => slog[level](msg) });
      opened.push({ name: s.name, store });
    }
  } catch (err) {
    for (const x of opened) await x.store.close();
    throw err;
  }
  const stores: HostStore[] = o.config.stores.map((s, i) => ({
    name: s.name,
    source: opened[i]!.store.source,
    settings: { kind: "file", dir: storeDir(o.dataDir, s.name), rotation: s.rotation, durability: s.durability, route: "" },
  }));
  const receivers: ChatterboxReceiver[] = [];
  const host = new LocalHost({
    stores,
    version: { version: VERSION, commit: buildCommit(), runtime: `bun ${Bun.version}` },
    receivers: () => receivers.map((r) => ({ name: r.name, type: r.type, params: r.params, state: r.state, records: r.records, errors: r.errors })),
    onShutdownRequest: o.onShutdownRequest,
  });
  if (o.demo) {
    const target = o.config.stores[0]!.name;
    const rlog = o.logger.child("receiver.chatterbox");
    receivers.push(new ChatterboxReceiver({ name: "demo", params: {}, append: (batch) => host.ingest(target, batch), onError: (m) => rlog.warn(`append failed: ${m}`) }));
  }
  for (const s of stores) log.info("store open", { store: s.name, chunks: s.source.store.chunks().length, dir: s.settings.dir });
  return {
    host,
    start() {
      for (const r of receivers) r.start();
      host.markReady();
    },
    async close() {
      if (host.phase() !== "draining") host.beginDrain();
      await Promise.all(receivers.map((r) => r.stop()));
      await host.appendsSettled();
      for (const x of opened) {
        try {
          await x.store.close();
          log.info("store closed", { store: x.name });
        } catch (err) {
          log.error(`store ${x.name} did not close cleanly: ${errorMessage(err)}`);
        }
      }
      host.markStopped();
    },
  };
}
