/**
 * Token scopes: `admin` (everything), `config:read`, `config:write`, `query` and `ingest`, each
 * but admin limited to listed stores or `*` — written `query:store=web,default`, `ingest`
 * (= `ingest:store=*`). `config:write` includes `config:read` for the same stores. Pure.
 */

import { LogError } from "../core/errors.ts";

export const SCOPE_NAMES = ["admin", "config:read", "config:write", "query", "ingest"] as const;
export type ScopeName = (typeof SCOPE_NAMES)[number];

/** Every store. */
export const ALL = "*";

/** One granted scope: its stores, or "*" for all of them (admin always "*"). */
export interface Scope {
  name: ScopeName;
  stores: typeof ALL | readonly string[];
}

const STORE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Parses `NAME[:store=S1,S2|*]`; throws LogError("invalid_argument") naming what is wrong. */
export function parseScope(text: string): Scope {
  const name = [...SCOPE_NAMES].sort((a, b) => b.length - a.length).find((n) => text === n || text.startsWith(`${n}:`));
  if (!name) throw new LogError("invalid_argument", `unknown scope "${text}" (scopes: ${SCOPE_NAMES.join(", ")}, e.g. query:store=web,default)`);
  const rest = text.slice(name.length);
  if (rest === "") return { name, stores: ALL };
  if (name === "admin") throw new LogError("invalid_argument", `scope "admin" covers everything and takes no store list (got "${text}")`);
  if (!rest.startsWith(":store=")) throw new LogError("invalid_argument", `scope "${text}": expected ${name}:store=NAME[,NAME...] or ${name}:store=*`);
  const list = rest.slice(":store=".length).split(",");
  if (list.length === 1 && list[0] === ALL) return { name, stores: ALL };
  for (const s of list) if (!STORE_RE.test(s)) throw new LogError("invalid_argument", `scope "${text}": "${s}" is not a store name (or * for all)`);
  return { name, stores: [...new Set(list)].sort() };
}

/** The text form parseScope reads back. */
export function formatScope(s: Scope): string {
  if (s.name === "admin" || s.stores === ALL) return s.name === "admin" ? "admin" : `${s.name}:store=*`;
  return `${s.name}:store=${s.stores.join(",")}`;
}

/** Scopes that grant `wanted` (admin grants everything; config:write grants config:read). */
function grants(have: ScopeName, wanted: ScopeName): boolean {
  return have === wanted || have === "admin" || (have === "config:write" && wanted === "config:read");
}

/** True when `scopes` grant `wanted` on `store` (a name, or "*" for every store at once). */
export function allows(scopes: readonly Scope[], wanted: ScopeName, store: string): boolean {
  return scopes.some((s) => grants(s.name, wanted) && (s.stores === ALL || (store !== ALL && s.stores.includes(store))));
}

/** True when `scopes` grant `wanted` on at least one store. */
export function allowsAny(scopes: readonly Scope[], wanted: ScopeName): boolean {
  return scopes.some((s) => grants(s.name, wanted));
}
