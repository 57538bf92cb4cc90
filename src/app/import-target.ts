/**
 * Where `gastrolog import` writes, with one model for every path: the store is a store of the
 * versioned config (an import into a store the config lacks adds it as a new version, author
 * "import", route "" = explicit appends only), and the records reach it through whoever holds
 * the data directory — the running server (IngestService, import-remote.ts) or, with no
 * server, the store files opened here with the store's configured policies.
 */

import { storeRuntime } from "../config/runtime.ts";
import type { StoreConfig } from "../config/schema.ts";
import { LogError } from "../core/errors.ts";
import type { RecordRef } from "../core/record.ts";
import type { ImportSink } from "../ingest/import/import-files.ts";
import type { ChunkStore } from "../storage/types.ts";
import { localTarget, type ConfigTarget } from "./config-target.ts";
import { storeDir } from "./paths.ts";
import type { ClientCredentials } from "../api/transports.ts";
import { runningServer } from "./server/server-info.ts";
import { openStore } from "./stores.ts";

/** Author of the config versions an import creates. */
export const IMPORT_AUTHOR = "import";

export interface ImportTarget {
  sink: ImportSink;
  via: "store" | "server";
  /** Names the target in messages: the store directory or the server. */
  where: string;
  /** A new config version was stored to add the store. */
  addedStore?: number;
  /**
   * Store files only: raw bytes of the store's records after `ref` in storage order (all of
   * them when undefined), to recognise what an interrupted import stored unacknowledged.
   */
  recordsAfter?(ref: RecordRef | undefined): Iterator<Uint8Array>;
  /** Store files only: the store's last record (where a fresh import starts after). */
  lastRecord?(): RecordRef | undefined;
  /** Chunks of the store, for the summary (store files only). */
  chunkCount?(): number;
  close(): Promise<void>;
}

/** The import target for `store` of `dataDir` (see the file header); `creds` for a server that asks. */
export async function importTarget(dataDir: string, store: string, creds: ClientCredentials = {}): Promise<ImportTarget> {
  storeDir(dataDir, store); // rejects a bad name before anything is written
  // The Connect client and the generated services (~20 MB resident once loaded) are loaded only
  // when a server holds the data directory: a local import never needs them.
  const link = runningServer(dataDir) ? await (await import("./server-client.ts")).serverLink(dataDir, undefined, creds) : undefined;
  if (link) {
    const [{ remoteTarget }, { remoteSink }] = await Promise.all([import("./config-remote.ts"), import("./import-remote.ts")]);
    const { added } = await ensureStore(remoteTarget(link.transport, link.where), store);
    return { sink: remoteSink(link, store), via: "server", where: link.where, addedStore: added, close: async () => {} };
  }
  const { config, added } = await ensureStore(localTarget(dataDir), store);
  const rt = storeRuntime(fileStore(config));
  const opened = await openStore(dataDir, store, { codec: rt.codec, level: rt.level, rotation: rt.rotation, durability: rt.durability }, true);
  const st = opened.store;
  return {
    sink: st,
    via: "store",
    where: storeDir(dataDir, store),
    addedStore: added,
    recordsAfter: (ref) => recordsAfter(st, ref),
    lastRecord: () => lastRecord(st),
    chunkCount: () => st.chunks().length,
    close: () => opened.close(),
  };
}

/** Makes sure the config has store `name`, adding a file store as a new version when missing (`added`). */
async function ensureStore(target: ConfigTarget, name: string): Promise<{ config: StoreConfig; added?: number }> {
  const find = async () => (await target.get()).config.stores.find((s) => s.name === name);
  const found = await find();
  if (found) return { config: found };
  const o = await target.set([`stores[${name}]=${JSON.stringify({ type: "file", route: "" })}`], { author: IMPORT_AUTHOR, reason: `import into new store ${name}` });
  if (o.applyError) throw new LogError("unavailable", `store ${name} was added as config version ${o.version.version}, but the server could not open it: ${o.applyError}`);
  const config = await find();
  if (!config) throw new LogError("internal", `store ${name} is missing from config version ${o.version.version} just stored`);
  return { config, added: o.version.version };
}

/** Without a server only a file store can take an import. */
function fileStore(s: StoreConfig): StoreConfig {
  if (s.type === "file") return s;
  throw new LogError("invalid_argument", `store '${s.name}' is a ${s.type} store: its records live only in a running server; import into it while \`gastrolog serve\` holds the data directory, or pick a file store`);
}

function lastRecord(store: ChunkStore): RecordRef | undefined {
  const chunks = store.chunks().filter((c) => c.records > 0 && c.state !== "corrupt");
  const last = chunks.sort((a, b) => (a.id < b.id ? -1 : 1)).at(-1);
  return last && { chunk: last.id, pos: last.records - 1 };
}

function* recordsAfter(store: ChunkStore, ref: RecordRef | undefined): Generator<Uint8Array> {
  const chunks = store
    .chunks()
    .filter((c) => ref === undefined || c.id >= ref.chunk)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const c of chunks) {
    const reader = store.open(c.id);
    try {
      const from = ref !== undefined && c.id === ref.chunk ? ref.pos + 1 : 0;
      const to = reader.count();
      if (from >= to) continue;
      for (const b of reader.batches(from, to)) {
        for (let i = 0; i < b.count; i++) yield b.data.subarray(b.rawOffsets[i]!, b.rawOffsets[i + 1]!);
      }
    } finally {
      reader.close();
    }
  }
}
