/**
 * openFileStore: creates or reopens a store directory — takes the lock, opens the catalog,
 * runs the recovery scan, reconciles the catalog with the files, and hands everything to a
 * FileStore, which then re-seals leftover unsealed chunks in the background.
 */

import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ChunkId } from "../../core/ids.ts";
import { resolveStoreOptions, type StoreOptions } from "../options.ts";
import type { CodecName } from "../segment/format.ts";
import { ByteCache } from "../byte-cache.ts";
import { DEFAULT_SEGMENT_OPTIONS, type SegmentWriteOptions } from "../segment/writer.ts";
import type { ChunkMeta, DurabilityPolicy } from "../types.ts";
import { ActiveChunk, type FileSync } from "./active-chunk.ts";
import { Catalog } from "./catalog.ts";
import { DEFAULT_SEAL_SLOT_WAIT_MS, FileStore, type FileStoreConfig, type StoreChunk } from "./file-store.ts";
import { ACTIVE_DIR, CATALOG_FILE, SEALED_DIR, SEGMENT_EXT } from "./format.ts";
import { acquireLock } from "./lock.ts";
import { activeMeta } from "./meta.ts";
import { scanStore, type RecoveryNote } from "./recovery.ts";
import { DEFAULT_SEAL_RETRY, type SealRetryPolicy } from "./seal-retry.ts";
import { InlineSealer, type Sealer } from "./sealer.ts";

/** Options of openFileStore; StoreOptions plus durability, segment format and sealing. */
export interface FileStoreOptions extends StoreOptions {
  /** Default { kind: "batch" }: append() resolves after fsync. */
  durability?: DurabilityPolicy;
  /** Sealed segment codec, default "zstd". Segments of one store may mix codecs. */
  codec?: CodecName;
  /** zstd level 1..22, default DEFAULT_SEGMENT_OPTIONS.level (6). */
  level?: number;
  /** Target raw bytes per sealed block (segment/writer.ts default when omitted). */
  blockRawBytes?: number;
  /**
   * Runs seals. Default: an InlineSealer using `sectionBuilders` (owned and closed by the
   * store). A supplied sealer is shared and not closed by the store; it brings its own builders.
   */
  sealer?: Sealer;
  /** Longest an append waits for a seal slot before it is refused, ms. Default DEFAULT_SEAL_SLOT_WAIT_MS. */
  sealSlotWaitMs?: number;
  /** Backoff of seals that failed while the store runs. Default DEFAULT_SEAL_RETRY (1 s doubling to 5 min). */
  sealRetry?: SealRetryPolicy;
  /** Minimum ms between catalog refreshes of the active chunk's row. Default 5000. */
  catalogRefreshMs?: number;
  /**
   * Decoded sealed blocks kept for warm queries. The composition root passes the process-wide
   * cache; default: a cache of this store's own (DEFAULT_CACHE_BYTES).
   */
  cache?: ByteCache;
  /** How the active chunks' files are fsynced. Default: in the fs thread pool (tests hold one back). */
  sync?: FileSync;
}

/** Opens the store at `dir` (created when missing). Throws LogError("locked") if in use. */
export async function openFileStore(dir: string, options: FileStoreOptions = {}): Promise<FileStore> {
  const base = resolveStoreOptions(options);
  mkdirSync(join(dir, ACTIVE_DIR), { recursive: true });
  mkdirSync(join(dir, SEALED_DIR), { recursive: true });
  const notes: RecoveryNote[] = [];
  const lock = acquireLock(dir);
  if (lock.takeover) notes.push({ kind: "stale_lock", path: join(dir, ".lock"), detail: `took over ${lock.takeover}` });
  let catalog: Catalog | undefined;
  try {
    catalog = Catalog.open(join(dir, CATALOG_FILE), (why) => notes.push({ kind: "catalog_reset", path: join(dir, CATALOG_FILE), detail: why }));
    const durability = options.durability ?? { kind: "batch" };
    const scan = scanStore(dir, base.name, catalog, notes);
    const chunks = new Map<ChunkId, StoreChunk>();
    for (const [id, meta] of scan.metas) chunks.set(id, { meta, error: scan.errors.get(id) });
    const writing = { durability, sync: options.sync };
    const active = scan.active ? ActiveChunk.reopen(scan.active, writing) : undefined;
    const reseal = scan.reseal.map((r) => ActiveChunk.reopen(r, writing));
    for (const c of reseal) c.state = "sealing";
    for (const c of [...reseal, ...(active ? [active] : [])]) chunks.set(c.id, { meta: activeMeta(c, base.name), active: c });
    reconcileCatalog(catalog, dir, chunks);
    const segment: SegmentWriteOptions = {
      codec: options.codec ?? DEFAULT_SEGMENT_OPTIONS.codec,
      level: options.level ?? DEFAULT_SEGMENT_OPTIONS.level,
      blockRawBytes: options.blockRawBytes ?? DEFAULT_SEGMENT_OPTIONS.blockRawBytes,
    };
    const config: FileStoreConfig = {
      ...base,
      dir,
      durability,
      segment,
      sealer: options.sealer ?? new InlineSealer(base.sectionBuilders),
      ownsSealer: options.sealer === undefined,
      sealSlotWaitMs: options.sealSlotWaitMs ?? DEFAULT_SEAL_SLOT_WAIT_MS,
      sealRetry: options.sealRetry ?? DEFAULT_SEAL_RETRY,
      catalogRefreshMs: options.catalogRefreshMs ?? 5000,
      cache: options.cache ?? new ByteCache(),
      sync: options.sync,
    };
    for (const n of notes) base.logger(n.kind === "corrupt" ? "error" : "warn", `store ${base.name} recovery: ${n.kind} ${n.path}: ${n.detail}`);
    const sorted = new Map([...chunks].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    return new FileStore(config, lock, catalog, sorted, active, reseal, { notes });
  } catch (err) {
    catalog?.close();
    lock.release();
    throw err;
  }
}

function reconcileCatalog(catalog: Catalog, dir: string, chunks: Map<ChunkId, StoreChunk>): void {
  const rows = catalog.all();
  for (const id of rows.keys()) if (!chunks.has(id)) catalog.remove(id);
  for (const [id, c] of chunks) {
    const row = rows.get(id);
    if (c.active) {
      catalog.put(c.meta);
      continue;
    }
    if (row && sameMeta(row.meta, c.meta)) continue;
    const file = segmentIdentity(dir, id);
    catalog.put(c.meta, file.size, file.mtimeMs);
  }
}

function segmentIdentity(dir: string, id: ChunkId): { size: number; mtimeMs: number } {
  try {
    const st = statSync(join(dir, SEALED_DIR, id + SEGMENT_EXT));
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return { size: 0, mtimeMs: 0 };
  }
}

function sameMeta(a: ChunkMeta, b: ChunkMeta): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
