/**
 * ConfigStore on bun:sqlite (`<data>/config.sqlite`, WAL). Each change runs in an IMMEDIATE
 * transaction (read newest, validate, insert), so concurrent writers in several processes
 * serialize and `ifVersion` checks are exact. Watch polls `PRAGMA data_version` (changes only
 * when ANOTHER connection commits) every `pollMs` and reports versions stored elsewhere; this
 * process's own changes are reported at once.
 */

import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { DiffEntry } from "./diff.ts";
import { migrate } from "./migrations.ts";
import { configJson, type GastroConfig } from "./schema.ts";
import { VersionedConfigStore } from "./store-base.ts";
import { infoOf, initialVersion, nextVersion, noSuchVersion, notify, type ChangeKind, type ChangeMeta, type ConfigListener, type ConfigStoreOptions, type ConfigVersion, type VersionInfo } from "./store.ts";

/** File name of the config database inside a data directory. */
export const CONFIG_DB_FILE = "config.sqlite";

/** Default watch poll period: changes by other processes show up within about this long. */
export const DEFAULT_POLL_MS = 500;

export interface SqliteConfigStoreOptions extends ConfigStoreOptions {
  pollMs?: number;
}

interface Row {
  version: number;
  at: number;
  author: string;
  reason: string;
  kind: ChangeKind;
  rollback_of: number | null;
  config: string;
  diff: string;
}

/** `<dataDir>/config.sqlite`. */
export function configDbPath(dataDir: string): string {
  return join(dataDir, CONFIG_DB_FILE);
}

/**
 * A connection to the config database at `path`, created and migrated when needed (WAL, full
 * sync, waits for other writers). Also used for its token table (security/token-store.ts).
 */
export function openConfigDb(path: string): Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { create: true });
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA busy_timeout = 5000");
    migrate(db, path);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Opens (creating and migrating when needed) the config store at `path`. */
export function openSqliteConfigStore(path: string, options: SqliteConfigStoreOptions = {}): SqliteConfigStore {
  return new SqliteConfigStore(openConfigDb(path), options);
}

export class SqliteConfigStore extends VersionedConfigStore {
  private timer: ReturnType<typeof setInterval> | undefined;
  private seenVersion = 0;
  private dataVersion = -1;

  constructor(
    private readonly db: Database,
    protected override readonly options: SqliteConfigStoreOptions,
  ) {
    super(options);
  }

  current(): ConfigVersion {
    const row = this.db.query("SELECT * FROM versions ORDER BY version DESC LIMIT 1").get() as Row | null;
    return row ? fromRow(row) : initialVersion();
  }

  history(limit = -1): VersionInfo[] {
    const rows = this.db.query("SELECT * FROM versions ORDER BY version DESC LIMIT ?").all(limit) as Row[];
    return rows.map((r) => infoOf(fromRow(r)));
  }

  get(version: number): ConfigVersion {
    if (version === 0) return initialVersion();
    const row = this.db.query("SELECT * FROM versions WHERE version = ?").get(version) as Row | null;
    if (!Number.isInteger(version) || !row) throw noSuchVersion(version, this.current().version);
    return fromRow(row);
  }

  watch(listener: ConfigListener): () => void {
    if (this.listeners.size === 0) {
      this.seenVersion = this.current().version;
      this.dataVersion = this.readDataVersion();
      this.timer = setInterval(() => this.poll(), this.options.pollMs ?? DEFAULT_POLL_MS);
      this.timer.unref?.();
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopTimer();
    };
  }

  close(): void {
    this.listeners.clear();
    this.stopTimer();
    this.db.close();
  }

  /** Checks for versions stored by other processes now (the timer calls this). */
  poll(): void {
    if (this.listeners.size === 0) return;
    const dv = this.readDataVersion();
    if (dv === this.dataVersion) return;
    this.dataVersion = dv;
    this.emitNewer();
  }

  protected commit(input: () => unknown, meta: ChangeMeta, kind: ChangeKind, rollbackOf?: number): ConfigVersion {
    const result = this.db
      .transaction(() => {
        const cur = this.current();
        const next = nextVersion(cur, input(), meta, kind, this.clock(), this.options, rollbackOf);
        if (next === undefined) return { version: cur, stored: false };
        this.db
          .query("INSERT INTO versions (version, at, author, reason, kind, rollback_of, config, diff) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
          .run(next.version, next.at, next.author, next.reason, next.kind, next.rollbackOf ?? null, configJson(next.config), JSON.stringify(next.diff));
        return { version: next, stored: true };
      })
      .immediate();
    if (result.stored && this.listeners.size > 0) this.emitNewer();
    return result.version;
  }

  /** Reports every version after the last one reported, oldest first. */
  private emitNewer(): void {
    const rows = this.db.query("SELECT * FROM versions WHERE version > ? ORDER BY version").all(this.seenVersion) as Row[];
    for (const r of rows) {
      this.seenVersion = r.version;
      notify(this.listeners, fromRow(r), this.options.onListenerError);
    }
  }

  private readDataVersion(): number {
    return (this.db.query("PRAGMA data_version").get() as { data_version: number }).data_version;
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

function fromRow(r: Row): ConfigVersion {
  const v: ConfigVersion = {
    version: r.version,
    at: r.at,
    author: r.author,
    reason: r.reason,
    kind: r.kind,
    diff: JSON.parse(r.diff) as DiffEntry[],
    config: JSON.parse(r.config) as GastroConfig,
  };
  if (r.rollback_of !== null) v.rollbackOf = r.rollback_of;
  return v;
}
