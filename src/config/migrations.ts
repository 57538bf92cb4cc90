/**
 * Schema of config.sqlite as an ordered list of SQL steps embedded in the binary. PRAGMA
 * user_version counts the steps applied; opening runs the missing ones in one transaction and
 * refuses a database written by a newer GastroLog (more steps than this binary knows).
 */

import type { Database } from "bun:sqlite";
import { LogError } from "../core/errors.ts";

/** Step i brings user_version from i to i + 1. Append only; never edit a released step. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE versions (
     version     INTEGER PRIMARY KEY,
     at          INTEGER NOT NULL,
     author      TEXT NOT NULL,
     reason      TEXT NOT NULL,
     kind        TEXT NOT NULL,
     rollback_of INTEGER,
     config      TEXT NOT NULL,
     diff        TEXT NOT NULL
   )`,
  // API tokens (src/security/token-store.ts): never part of a config version; the secret is
  // not stored, only HMAC-SHA256(salt, secret).
  `CREATE TABLE api_tokens (
     name          TEXT PRIMARY KEY,
     id            TEXT NOT NULL UNIQUE,
     salt          BLOB NOT NULL,
     hash          BLOB NOT NULL,
     scopes        TEXT NOT NULL,
     limits        TEXT NOT NULL,
     cert_subjects TEXT NOT NULL,
     created_at    INTEGER NOT NULL,
     created_by    TEXT NOT NULL,
     expires_at    INTEGER NOT NULL,
     last_used_at  INTEGER NOT NULL
   )`,
];

/** Brings `db` (at `path`, for messages) up to the newest schema. */
export function migrate(db: Database, path: string): void {
  db.transaction(() => {
    const have = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
    if (have > MIGRATIONS.length) {
      throw new LogError("unavailable", `${path} has config schema ${have}, newer than this gastrolog knows (${MIGRATIONS.length}); upgrade gastrolog`);
    }
    for (let i = have; i < MIGRATIONS.length; i++) db.exec(MIGRATIONS[i]!);
    if (have < MIGRATIONS.length) db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
