/**
 * What a store directory another live process writes holds now, read without writing anything
 * there (for ReadOnlyFileStore): its sealed segments, and each unsealed chunk up to its last
 * complete, intact record through descriptors opened now (ActiveSnapshot), so a chunk that
 * seals or is deleted afterwards is still read as it was. Every chunk is taken once, as its
 * segment or as active data, never both, and the chunks taken are a prefix of what the writer
 * stored: active/ is listed before sealed/ (a seal renames the segment into place before it
 * removes the active files, so a chunk missing from both listings is newer than both), and a
 * chunk whose files vanish between the listing and the open is taken as the segment it became.
 */

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { CorruptError, errorMessage, LogError } from "../../core/errors.ts";
import { isChunkId, type ChunkId } from "../../core/ids.ts";
import type { ChunkStats } from "../stats.ts";
import type { ChunkMeta } from "../types.ts";
import { closeActiveFiles, committedPrefix, openActiveFiles, type ActiveFiles } from "./active-recover.ts";
import { ActiveData } from "./active-data.ts";
import { Catalog, type CatalogRow } from "./catalog.ts";
import type { ActiveSource } from "./chunk-readers.ts";
import type { EntryColumns } from "./entry-columns.ts";
import { ACTIVE_DIR, CATALOG_FILE, SEALED_DIR, SEGMENT_EXT } from "./format.ts";
import { activeMeta, emptyMeta, type UnsealedChunk } from "./meta.ts";
import { markedCorrupt, segmentMeta } from "./recovery.ts";

/** An unsealed chunk as it was when opened: its committed prefix then, read through the descriptors opened then. */
export class ActiveSnapshot implements ActiveSource, UnsealedChunk {
  private constructor(
    readonly id: ChunkId,
    readonly dir: string,
    readonly state: "active" | "sealing",
    private readonly files: ActiveFiles,
    readonly entries: EntryColumns,
    readonly committed: number,
    readonly stats: ChunkStats,
  ) {}

  /** Opens active chunk `dir` read-only; throws the open's error (ENOENT once it sealed) or CorruptError. */
  static open(dir: string, id: ChunkId, state: "active" | "sealing"): ActiveSnapshot {
    const files = openActiveFiles(dir, "r");
    try {
      const { entries, count, stats } = committedPrefix(files);
      return new ActiveSnapshot(id, dir, state, files, entries, count, stats);
    } catch (err) {
      closeActiveFiles(files);
      throw err;
    }
  }

  get createdAt(): number {
    return this.files.createdAt;
  }

  openReader(): ActiveData {
    return new ActiveData(this.dir, () => this.entries, { raw: this.files.raw.fd, attrs: this.files.attrs.fd });
  }

  closeReader(): void {}

  /** Closes the descriptors (after every reader closed). */
  close(): void {
    closeActiveFiles(this.files);
  }
}

/** A chunk of a snapshot: its meta, with the active data it is read from or why it cannot be read. */
export interface SnapshotChunk {
  meta: ChunkMeta;
  active?: ActiveSnapshot;
  error?: CorruptError;
}

/** The chunks of store `store` in `dir` now, in id order; see the file header. */
export function takeSnapshot(dir: string, store: string): Map<ChunkId, SnapshotChunk> {
  const activeRoot = join(dir, ACTIVE_DIR);
  const unsealed = new Set(chunkIds(activeRoot, (n) => n));
  const segments = chunkIds(join(dir, SEALED_DIR), (n) => (n.endsWith(SEGMENT_EXT) ? n.slice(0, -SEGMENT_EXT.length) : ""));
  // Read after the listings: a newer chunk listed there was created after the older one's
  // rotation was recorded (FileStore.rotate writes its final count before the next chunk exists).
  const rows = Catalog.readRows(join(dir, CATALOG_FILE)) ?? new Map<string, CatalogRow>();
  const chunks = new Map<ChunkId, SnapshotChunk>();
  const takeSegment = (id: ChunkId, activeToo: boolean): "taken" | "gone" | "invalid" => {
    const path = join(dir, SEALED_DIR, id + SEGMENT_EXT);
    try {
      const meta = segmentMeta(path, id, store, rows.get(id));
      chunks.set(id, meta.state === "corrupt" ? { meta, error: markedCorrupt(path) } : { meta });
      return "taken";
    } catch (err) {
      if (isGone(err)) return "gone";
      // Beside active files, an invalid segment is not the chunk's truth (the writer redoes the seal).
      if (!activeToo) chunks.set(id, corrupt(id, store, rows.get(id), err instanceof CorruptError ? err : new CorruptError(path, 0, errorMessage(err))));
      return "invalid";
    }
  };
  for (const id of segments) {
    // Taken, or deleted (by retention) since the listing: either way not read as active data.
    if (takeSegment(id, unsealed.has(id)) !== "invalid") unsealed.delete(id);
  }
  const ids = [...unsealed].sort();
  for (const id of ids) {
    try {
      const snap = ActiveSnapshot.open(join(activeRoot, id), id, id === ids.at(-1) ? "active" : "sealing");
      if (snap.committed === 0) snap.close();
      else chunks.set(id, { meta: activeMeta(snap, store), active: snap });
    } catch (err) {
      if (isGone(err)) takeSegment(id, false); // sealed (or emptied) since the listing
      else chunks.set(id, corrupt(id, store, rows.get(id), err instanceof CorruptError ? err : new CorruptError(join(activeRoot, id), 0, errorMessage(err))));
    }
  }
  return withoutGap(new Map([...chunks].sort((a, b) => (a[0] < b[0] ? -1 : 1))), rows);
}

/**
 * `chunks` up to the first unsealed chunk, not the newest, that holds fewer records than the
 * catalog says it was rotated with; later chunks are left out (and closed). The writer commits
 * a new chunk's first records only after the old chunk's last ones (ActiveChunk.create's
 * `follows`), but the snapshot reads one chunk after the other while the writer goes on: it
 * may read the old chunk before its last commit and the new one after its first. A live writer
 * of an older version did not order them at all.
 */
function withoutGap(chunks: Map<ChunkId, SnapshotChunk>, rows: Map<string, CatalogRow>): Map<ChunkId, SnapshotChunk> {
  let cut = false;
  const last = [...chunks.keys()].at(-1);
  for (const [id, c] of chunks) {
    if (cut) {
      c.active?.close();
      chunks.delete(id);
      continue;
    }
    const row = rows.get(id);
    cut = c.active !== undefined && id !== last && row?.meta.state === "sealing" && c.active.committed < row.meta.records;
  }
  return chunks;
}

/** Chunk ids named in `root` (through `idOf`: "" or a non-id is skipped), sorted; none when it is missing. */
function chunkIds(root: string, idOf: (name: string) => string): ChunkId[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (err) {
    if (isGone(err)) return [];
    throw err;
  }
  return names.map(idOf).filter(isChunkId).sort();
}

/** A corrupt chunk's entry: the catalog's meta (or a zeroed one) marked corrupt, and why. */
function corrupt(id: ChunkId, store: string, row: CatalogRow | undefined, error: CorruptError): SnapshotChunk {
  return { meta: { ...(row?.meta ?? emptyMeta(id, store, 0)), state: "corrupt" }, error };
}

/** The file is not there (any more): ENOENT, or a segment open's not_found. */
function isGone(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === "ENOENT" || (err instanceof LogError && err.code === "not_found");
}
