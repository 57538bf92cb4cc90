/**
 * Startup scan of a store directory (rules in format.ts): decides, from the files alone, which
 * chunks are sealed, which active chunk is reopened, which must be sealed again and which are
 * corrupt, reports gaps an older writer left at a rotation, and cleans up leftovers. Reads segment footers (only when the catalog row is stale)
 * and active entries files — never record data. Reports every action as a RecoveryNote.
 */

import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { CorruptError, errorMessage } from "../../core/errors.ts";
import { isChunkId, type ChunkId } from "../../core/ids.ts";
import { SegmentReader } from "../segment/reader.ts";
import type { ChunkMeta } from "../types.ts";
import type { RecoveredChunk } from "./active-chunk.ts";
import { recoverActiveDir } from "./active-recover.ts";
import type { Catalog, CatalogRow } from "./catalog.ts";
import { ACTIVE_DIR, SEALED_DIR, SEGMENT_EXT, TMP_SUFFIX } from "./format.ts";
import { emptyMeta, summaryMeta } from "./meta.ts";

/** What recovery did or found. */
export type RecoveryNoteKind =
  | "stale_lock"
  | "catalog_reset"
  | "removed_tmp"
  | "torn_tail"
  | "removed_empty"
  | "removed_sealed_active"
  | "removed_partial_segment"
  | "reseal"
  | "gap"
  | "corrupt";

/** One recovery action, also logged through the store logger. */
export interface RecoveryNote {
  kind: RecoveryNoteKind;
  path: string;
  detail: string;
  /** Byte offset of the damage ("corrupt") or the new file size ("torn_tail"). */
  offset?: number;
}

/** Everything openFileStore found and repaired, in order. */
export interface RecoveryReport {
  notes: RecoveryNote[];
}

/** What the scan found: chunk metas in id order, plus the unsealed chunks to reopen/reseal. */
export interface ScanResult {
  metas: Map<ChunkId, ChunkMeta>;
  /** Why each corrupt chunk is corrupt. */
  errors: Map<ChunkId, CorruptError>;
  active: RecoveredChunk | undefined;
  reseal: RecoveredChunk[];
}

/** Scans and repairs `dir`, appending to `notes`; see the file header. */
export function scanStore(dir: string, store: string, catalog: Catalog, notes: RecoveryNote[]): ScanResult {
  const rows = catalog.all();
  const sealedRoot = join(dir, SEALED_DIR);
  const activeRoot = join(dir, ACTIVE_DIR);
  const metas = new Map<ChunkId, ChunkMeta>();
  const errors = new Map<ChunkId, CorruptError>();
  const activeIds = new Set<ChunkId>();
  for (const name of readdirSync(activeRoot)) {
    const path = join(activeRoot, name);
    if (name.endsWith(TMP_SUFFIX)) removeNote(path, "removed_tmp", "chunk creation did not finish", notes);
    else if (isChunkId(name)) activeIds.add(name);
  }
  for (const name of readdirSync(sealedRoot).sort()) {
    const path = join(sealedRoot, name);
    if (name.endsWith(TMP_SUFFIX)) {
      removeNote(path, "removed_tmp", "segment write did not finish", notes);
      continue;
    }
    const id = name.slice(0, -SEGMENT_EXT.length);
    if (!name.endsWith(SEGMENT_EXT) || !isChunkId(id)) continue;
    const row = rows.get(id);
    try {
      const meta = segmentMeta(path, id, store, row);
      metas.set(id, meta);
      if (meta.state === "corrupt") errors.set(id, markedCorrupt(path));
    } catch (err) {
      if (activeIds.has(id)) {
        removeNote(path, "removed_partial_segment", `incomplete segment (${errorMessage(err)}); the active files are sealed again`, notes);
        continue;
      }
      const ce = err instanceof CorruptError ? err : new CorruptError(path, 0, errorMessage(err));
      metas.set(id, { ...(row?.meta ?? emptyMeta(id, store, 0)), state: "corrupt" });
      errors.set(id, ce);
      notes.push({ kind: "corrupt", path, detail: ce.message, offset: ce.offset });
      continue;
    }
    if (activeIds.delete(id)) removeNote(join(activeRoot, id), "removed_sealed_active", "its segment is complete", notes);
  }
  const unsealed: RecoveredChunk[] = [];
  for (const id of [...activeIds].sort()) {
    const path = join(activeRoot, id);
    try {
      const { chunk, cuts } = recoverActiveDir(path, id);
      for (const c of cuts) notes.push({ kind: "torn_tail", path: c.path, detail: `truncated from ${c.from} to ${c.to} bytes`, offset: c.to });
      if (chunk.count === 0) removeNote(path, "removed_empty", "active chunk without committed records", notes);
      else unsealed.push(chunk);
    } catch (err) {
      const ce = err instanceof CorruptError ? err : new CorruptError(path, 0, errorMessage(err));
      metas.set(id, { ...(rows.get(id)?.meta ?? emptyMeta(id, store, 0)), state: "corrupt" });
      errors.set(id, ce);
      notes.push({ kind: "corrupt", path: ce.path, detail: ce.message, offset: ce.offset });
    }
  }
  noteGaps(unsealed, metas, rows, notes);
  const newest = unsealed.at(-1);
  const keep = newest && rows.get(newest.id)?.meta.state !== "sealing" ? newest : undefined;
  const reseal = unsealed.filter((c) => c !== keep);
  for (const c of reseal) notes.push({ kind: "reseal", path: c.dir, detail: `unsealed chunk with ${c.count} records is sealed again` });
  return { metas: sortById(metas), errors, active: keep, reseal };
}

/**
 * Reports ("gap") each unsealed chunk that holds fewer records than it was rotated with (its
 * catalog row, written at rotation, says "sealing" with the count staged then) while a newer
 * chunk holds records: the missing ones never became durable but later ones did, which a
 * writer before commits were ordered across chunks (ActiveChunk.create's `follows`) could
 * leave after a crash. The records after the gap are kept: appends entirely in the newer chunk
 * may have been acknowledged, and an acknowledged record is never dropped. The reseal rewrites
 * the row, so a gap is reported once.
 */
function noteGaps(unsealed: RecoveredChunk[], metas: Map<ChunkId, ChunkMeta>, rows: Map<ChunkId, CatalogRow>, notes: RecoveryNote[]): void {
  let newest = unsealed.at(-1)?.id ?? "";
  for (const [id, m] of metas) if (m.state === "sealed" && m.records > 0 && id > newest) newest = id;
  for (const c of unsealed) {
    const row = rows.get(c.id)?.meta;
    if (c.id >= newest || row?.state !== "sealing" || row.records <= c.count) continue;
    const missing = row.records - c.count;
    notes.push({
      kind: "gap",
      path: c.dir,
      detail: `chunk ${c.id} holds ${c.count} of the ${row.records} records it was rotated with: the last ${missing} never became durable while newer chunks' records did (a crash under an older writer); the newer records are kept, so the store is not a prefix of what was sent there (an import resumed from before them stores them twice)`,
    });
  }
}

/**
 * Meta of the segment at `path`: its catalog row while that still describes the file (same
 * size and mtime; a row may say "corrupt"), else read from the segment's footer. Throws when
 * the file is missing or does not validate.
 */
export function segmentMeta(path: string, id: ChunkId, store: string, row: CatalogRow | undefined): ChunkMeta {
  const st = statSync(path);
  if (row && (row.meta.state === "sealed" || row.meta.state === "corrupt") && row.fileSize === st.size && row.fileMtimeMs === st.mtimeMs) return row.meta;
  const seg = SegmentReader.open(path);
  try {
    return summaryMeta(id, store, seg.createdAt, seg.summary);
  } finally {
    seg.close();
  }
}

/** Why a chunk the catalog remembers as corrupt is not read. */
export function markedCorrupt(path: string): CorruptError {
  return new CorruptError(path, 0, "marked corrupt earlier; replace or delete the file");
}

function removeNote(path: string, kind: RecoveryNoteKind, detail: string, notes: RecoveryNote[]): void {
  rmSync(path, { recursive: true, force: true });
  notes.push({ kind, path, detail: `removed: ${detail}` });
}

function sortById(m: Map<ChunkId, ChunkMeta>): Map<ChunkId, ChunkMeta> {
  return new Map([...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}
