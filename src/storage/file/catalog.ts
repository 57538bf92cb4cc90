/**
 * Chunk metadata cache in bun:sqlite (WAL). The data files are the truth: the catalog lets
 * open() skip re-reading unchanged segment footers (a row is trusted only when the file's size
 * and mtime still match) and lets tools list chunks cheaply. An unreadable or unknown-version
 * catalog is discarded and rebuilt. A store another process writes is read with readRows, a
 * read-only connection that writes nothing.
 */

import { Database } from "bun:sqlite";
import { existsSync, rmSync } from "node:fs";
import { errorMessage } from "../../core/errors.ts";
import type { ChunkMeta, ChunkState, IndexStatus } from "../types.ts";

const SCHEMA_VERSION = 1;

/** A catalog row: the chunk's meta plus the file identity it was read from (0 = unknown). */
export interface CatalogRow {
  meta: ChunkMeta;
  fileSize: number;
  fileMtimeMs: number;
}

const COLUMNS = `id, store, state, records, raw_bytes, stored_bytes, index_bytes, created_at,
  write_min, write_max, ingest_min, ingest_max, event_min, event_max, codec, index_status, file_size, file_mtime_ms`;

type Row = [string, string, string, number, number, number, number, number, number, number, number, number, number, number, string, string, number, number];

/** The chunks table of catalog.sqlite. */
export class Catalog {
  private constructor(private readonly db: Database) {}

  /** Opens (or recreates) the catalog; `onReset` hears why an old one was discarded. */
  static open(path: string, onReset: (why: string) => void): Catalog {
    try {
      return new Catalog(init(new Database(path, { create: true, strict: true })));
    } catch (err) {
      onReset(`catalog ${path} unreadable (${errorMessage(err)}); rebuilding it from the chunk files`);
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
      return new Catalog(init(new Database(path, { create: true, strict: true })));
    }
  }

  /**
   * The rows of the catalog at `path` through a read-only connection (the store's writer is
   * another process), or undefined when they cannot be read (no catalog, another schema
   * version, busy): the chunk files are the truth, this only saves reading footers. A WAL
   * reader writes no file; it only takes a read mark in the writer's shared memory.
   */
  static readRows(path: string): Map<string, CatalogRow> | undefined {
    if (!existsSync(path)) return undefined;
    let db: Database | undefined;
    try {
      db = new Database(path, { readonly: true, strict: true });
      const version = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
      return version === SCHEMA_VERSION ? new Catalog(db).all() : undefined;
    } catch {
      return undefined;
    } finally {
      db?.close();
    }
  }

  all(): Map<string, CatalogRow> {
    const out = new Map<string, CatalogRow>();
    for (const r of this.db.query(`SELECT ${COLUMNS} FROM chunks`).values() as Row[]) {
      out.set(r[0], {
        meta: {
          id: r[0],
          store: r[1],
          state: r[2] as ChunkState,
          records: r[3],
          rawBytes: r[4],
          storedBytes: r[5],
          indexBytes: r[6],
          createdAt: r[7],
          writeTs: { min: r[8], max: r[9] },
          ingestTs: { min: r[10], max: r[11] },
          eventTs: { min: r[12], max: r[13] },
          codec: r[14],
          indexStatus: r[15] as IndexStatus,
        },
        fileSize: r[16],
        fileMtimeMs: r[17],
      });
    }
    return out;
  }

  put(m: ChunkMeta, fileSize = 0, fileMtimeMs = 0): void {
    this.db
      .query(`INSERT OR REPLACE INTO chunks (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        m.id, m.store, m.state, m.records, m.rawBytes, m.storedBytes, m.indexBytes, m.createdAt,
        m.writeTs.min, m.writeTs.max, m.ingestTs.min, m.ingestTs.max, m.eventTs.min, m.eventTs.max,
        m.codec, m.indexStatus, fileSize, fileMtimeMs,
      );
  }

  remove(id: string): void {
    this.db.query("DELETE FROM chunks WHERE id = ?").run(id);
  }

  close(): void {
    this.db.close();
  }
}

function init(db: Database): Database {
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    const version = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
    if (version === SCHEMA_VERSION) return db; // nothing to write: opening for a query stays read-only
    if (version !== 0) throw new Error(`schema version ${version} is not ${SCHEMA_VERSION}`);
    db.exec(`CREATE TABLE IF NOT EXISTS chunks (
      id TEXT PRIMARY KEY, store TEXT NOT NULL, state TEXT NOT NULL, records INTEGER NOT NULL,
      raw_bytes INTEGER NOT NULL, stored_bytes INTEGER NOT NULL, index_bytes INTEGER NOT NULL,
      created_at INTEGER NOT NULL, write_min INTEGER NOT NULL, write_max INTEGER NOT NULL,
      ingest_min INTEGER NOT NULL, ingest_max INTEGER NOT NULL, event_min INTEGER NOT NULL,
      event_max INTEGER NOT NULL, codec TEXT NOT NULL, index_status TEXT NOT NULL,
      file_size INTEGER NOT NULL, file_mtime_ms REAL NOT NULL)`);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
