/**
 * Where local-source receivers (tail, docker, kubernetes, journald) remember how far they read:
 * one SQLite table of per-source rows (`DATA/receiver-positions.sqlite`), keyed by receiver id
 * and source key (a file's device:inode, a container id, "journal"). A row holds the committed
 * position (durable records end there), `skip` (records after it already stored), the windows
 * pushed but not yet known durable, and source metadata (file identity). WAL with
 * synchronous=NORMAL: a process crash (kill -9) loses no commit; a power loss may lose the
 * last ones, which only means re-reading (never skipping) records. No pipeline logic here.
 */

import { Database } from "bun:sqlite";

/** Records pushed for one source but not yet known to be durable. */
export interface PendingWindow {
  /** ingestTs of the window's first record; record i has t0 + i (unique per receiver). */
  t0: number;
  n: number;
  /** Source position after the window's last record. */
  to: string;
  /**
   * Leading records read again below `position` + `skip` (a Kafka partition redelivered after
   * a crash): already counted there, so storing them does not add to `skip`. Absent means 0.
   */
  below?: number;
}

/** One source's saved state. */
export interface SourceRow {
  source: string;
  /** Resume here (opaque to this store; each source type defines it). */
  position: string;
  /** Records after `position` that are already stored: re-read and dropped on resume. */
  skip: number;
  pending: PendingWindow[];
  /** Source identity and details (JSON), e.g. a file's device, inode and fingerprint. */
  meta: string;
  /** Epoch µs the row was last written or confirmed present. */
  seenAt: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS positions (
  receiver TEXT NOT NULL, source TEXT NOT NULL, position TEXT NOT NULL, skip INTEGER NOT NULL,
  pending TEXT NOT NULL, meta TEXT NOT NULL, seen_at REAL NOT NULL, PRIMARY KEY (receiver, source));
CREATE TABLE IF NOT EXISTS clocks (receiver TEXT PRIMARY KEY, last_ts REAL NOT NULL);`;

interface Row {
  source: string;
  position: string;
  skip: number;
  pending: string;
  meta: string;
  seen_at: number;
}

/** The positions database; one per data directory, shared by every receiver in the process. */
export class PositionStore {
  private readonly db: Database;

  /** Opens (creating) the database at `path`; ":memory:" keeps positions for this process only. */
  constructor(path: string) {
    this.db = new Database(path, { create: true });
    this.db.exec("PRAGMA journal_mode = WAL");
    this.db.exec("PRAGMA synchronous = NORMAL");
    this.db.exec("PRAGMA busy_timeout = 5000");
    this.db.exec(SCHEMA);
  }

  /** The rows of one receiver. */
  receiver(id: string): ReceiverPositions {
    return new ReceiverPositions(this.db, id);
  }

  close(): void {
    this.db.close();
  }
}

/** One receiver's rows and its ingestTs clock (see Checkpointer for how they are used). */
export class ReceiverPositions {
  private lastTs: number;
  private readonly upsert;
  private readonly setClock;

  constructor(
    private readonly db: Database,
    readonly receiver: string,
  ) {
    const c = db.query("SELECT last_ts FROM clocks WHERE receiver = ?").get(receiver) as { last_ts: number } | null;
    this.lastTs = c?.last_ts ?? 0;
    this.upsert = db.query(
      "INSERT INTO positions (receiver, source, position, skip, pending, meta, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?) " +
        "ON CONFLICT (receiver, source) DO UPDATE SET position = excluded.position, skip = excluded.skip, pending = excluded.pending, meta = excluded.meta, seen_at = excluded.seen_at",
    );
    this.setClock = db.query("INSERT INTO clocks (receiver, last_ts) VALUES (?, ?) ON CONFLICT (receiver) DO UPDATE SET last_ts = excluded.last_ts");
  }

  /** Every row of this receiver. */
  rows(): SourceRow[] {
    const rs = this.db.query("SELECT source, position, skip, pending, meta, seen_at FROM positions WHERE receiver = ?").all(this.receiver) as Row[];
    return rs.map((r) => ({ source: r.source, position: r.position, skip: r.skip, pending: JSON.parse(r.pending) as PendingWindow[], meta: r.meta, seenAt: r.seen_at }));
  }

  /**
   * Reserves `n` consecutive ingest timestamps starting at or after `now`, strictly after every
   * one reserved before (also across restarts), and persists the high-water mark.
   */
  reserve(n: number, now: number): number {
    const t0 = Math.max(Math.floor(now), this.lastTs + 1);
    this.lastTs = t0 + n - 1;
    this.setClock.run(this.receiver, this.lastTs);
    return t0;
  }

  /** Writes a row (insert or replace). */
  put(row: SourceRow): void {
    this.upsert.run(this.receiver, row.source, row.position, row.skip, JSON.stringify(row.pending), row.meta, row.seenAt);
  }

  /** Several writes in one transaction. */
  batch(fn: () => void): void {
    this.db.transaction(fn)();
  }

  delete(source: string): void {
    this.db.query("DELETE FROM positions WHERE receiver = ? AND source = ?").run(this.receiver, source);
  }

  /** Deletes rows not seen since `before` (epoch µs); returns how many. */
  forgetOlderThan(before: number): number {
    return this.db.query("DELETE FROM positions WHERE receiver = ? AND seen_at < ?").run(this.receiver, before).changes;
  }
}
