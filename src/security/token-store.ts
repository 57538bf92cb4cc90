/**
 * API tokens in the config database (`<data>/config.sqlite`, table api_tokens; never part of a
 * config version): create (the secret is returned once, a salted hash kept), list, revoke, and
 * verify a presented secret or a client certificate's subjects. Lookups read the table on
 * every call, so a token created or revoked by another process counts at once.
 */

import type { Database } from "bun:sqlite";
import { openConfigDb } from "../config/sqlite-store.ts";
import { LogError } from "../core/errors.ts";
import { systemClock, type Clock } from "../core/time.ts";
import { checkLimits, type QueryLimits } from "./limits.ts";
import { formatScope, parseScope, type Scope } from "./scopes.ts";
import { hashSecret, newSalt, newSecret, sameHash, secretId } from "./secrets.ts";

/** A token as listed (no secret, no hash). */
export interface TokenInfo {
  name: string;
  scopes: Scope[];
  limits: QueryLimits;
  /** Certificate subjects (CN or a SAN such as DNS:x, URI:y) that authenticate as this token. */
  certSubjects: string[];
  createdAt: number;
  createdBy: string;
  /** Epoch µs; 0 = never. */
  expiresAt: number;
  /** Epoch µs of the last use (updated at most once a minute); 0 = never used. */
  lastUsedAt: number;
}

export interface NewToken {
  name: string;
  scopes: readonly Scope[];
  limits: QueryLimits;
  certSubjects?: readonly string[];
  /** Lifetime in µs; 0 = never expires. */
  ttlUs: number;
  createdBy: string;
}

/** Why a presented credential was refused. */
export type Refusal = "unknown" | "expired";

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
/** last_used_at is written at most this often per token. */
const LAST_USED_EVERY_US = 60_000_000;

interface Row {
  name: string;
  id: string;
  salt: Uint8Array;
  hash: Uint8Array;
  scopes: string;
  limits: string;
  cert_subjects: string;
  created_at: number;
  created_by: string;
  expires_at: number;
  last_used_at: number;
}

export class TokenStore {
  private readonly clock: Clock;

  private constructor(
    private readonly db: Database,
    clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  /** Opens (creating and migrating when needed) the token table of the config database at `path`. */
  static open(path: string, clock?: Clock): TokenStore {
    return new TokenStore(openConfigDb(path), clock);
  }

  /** Stores a new token and returns its secret (shown once) with what was stored. */
  create(t: NewToken): { secret: string; info: TokenInfo } {
    if (!NAME_RE.test(t.name)) throw new LogError("invalid_argument", `token name must be 1-64 letters, digits, '_', '.', '@', '-', got "${t.name}"`);
    if (t.scopes.length === 0) throw new LogError("invalid_argument", `token ${t.name} needs at least one --scope (admin, config:read, config:write, query, ingest)`);
    if (!Number.isSafeInteger(t.ttlUs) || t.ttlUs < 0) throw new LogError("invalid_argument", `token lifetime must be a positive duration, got ${t.ttlUs} µs`);
    checkLimits(t.limits);
    const now = this.clock();
    const { id, secret } = newSecret();
    const salt = newSalt();
    const row: Row = {
      name: t.name,
      id,
      salt,
      hash: hashSecret(secret, salt),
      scopes: JSON.stringify(t.scopes.map(formatScope)),
      limits: JSON.stringify(t.limits),
      cert_subjects: JSON.stringify([...(t.certSubjects ?? [])]),
      created_at: now,
      created_by: t.createdBy,
      expires_at: t.ttlUs === 0 ? 0 : now + t.ttlUs,
      last_used_at: 0,
    };
    try {
      this.db
        .query("INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .run(row.name, row.id, row.salt, row.hash, row.scopes, row.limits, row.cert_subjects, row.created_at, row.created_by, row.expires_at, row.last_used_at);
    } catch (err) {
      if (/UNIQUE/.test(String(err))) throw new LogError("already_exists", `a token named "${t.name}" exists; revoke it first or pick another name`);
      throw err;
    }
    return { secret, info: infoOf(row) };
  }

  /** Every token, by name. */
  list(): TokenInfo[] {
    return (this.db.query("SELECT * FROM api_tokens ORDER BY name").all() as Row[]).map(infoOf);
  }

  /** Deletes a token; LogError("not_found") when there is none by that name. */
  revoke(name: string): void {
    const r = this.db.query("DELETE FROM api_tokens WHERE name = ?").run(name);
    if (r.changes === 0) throw new LogError("not_found", `no token named "${name}" (token list shows them)`);
  }

  /** The token a presented secret belongs to, or why it is refused. */
  verify(secret: string): TokenInfo | Refusal {
    const id = secretId(secret);
    const row = id === undefined ? undefined : (this.db.query("SELECT * FROM api_tokens WHERE id = ?").get(id) as Row | null);
    if (!row || !sameHash(hashSecret(secret, row.salt), row.hash)) return "unknown";
    return this.use(row);
  }

  /** The token whose certSubjects include one of `subjects`, or why there is none. */
  verifySubjects(subjects: readonly string[]): TokenInfo | Refusal {
    const rows = this.db.query("SELECT * FROM api_tokens WHERE cert_subjects != '[]' ORDER BY name").all() as Row[];
    const row = rows.find((r) => (JSON.parse(r.cert_subjects) as string[]).some((s) => subjects.includes(s)));
    return row ? this.use(row) : "unknown";
  }

  close(): void {
    this.db.close();
  }

  private use(row: Row): TokenInfo | Refusal {
    const now = this.clock();
    if (row.expires_at !== 0 && now >= row.expires_at) return "expired";
    if (row.last_used_at === 0 || now - row.last_used_at >= LAST_USED_EVERY_US) {
      this.db.query("UPDATE api_tokens SET last_used_at = ? WHERE name = ?").run(now, row.name);
      row.last_used_at = now;
    }
    return infoOf(row);
  }
}

function infoOf(r: Row): TokenInfo {
  return {
    name: r.name,
    scopes: (JSON.parse(r.scopes) as string[]).map(parseScope),
    limits: JSON.parse(r.limits) as QueryLimits,
    certSubjects: JSON.parse(r.cert_subjects) as string[],
    createdAt: r.created_at,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
  };
}
