/**
 * Structural diff of two configs at JSON-path level, stored with every version and shown by
 * `config diff`. Arrays of named entries (stores by `name`, receivers by `id`) are matched by
 * that key, so inserting a store shows as one addition; other arrays (listen URLs) compare as
 * whole values. Paths read `stores[prod].retention.maxAge`, `server.logLevel`.
 */

/** One difference: a path that exists only in the new config, only in the old one, or in both with other values. */
export type DiffEntry =
  | { op: "added"; path: string; value: unknown }
  | { op: "removed"; path: string; value: unknown }
  | { op: "changed"; path: string; from: unknown; to: unknown };

/** Differences taking config `a` to config `b`, in document order. */
export function diffConfigs(a: unknown, b: unknown): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(a, b, "", out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: DiffEntry[]): void {
  if (isRecord(a) && isRecord(b)) {
    for (const k of Object.keys(b)) {
      const p = path === "" ? k : `${path}.${k}`;
      if (!Object.hasOwn(a, k)) out.push({ op: "added", path: p, value: b[k] });
      else walk(a[k], b[k], p, out);
    }
    for (const k of Object.keys(a)) if (!Object.hasOwn(b, k)) out.push({ op: "removed", path: path === "" ? k : `${path}.${k}`, value: a[k] });
    return;
  }
  const key = Array.isArray(a) && Array.isArray(b) ? entryKey(a, b) : undefined;
  if (key !== undefined) {
    const before = new Map((a as Record<string, unknown>[]).map((e) => [e[key] as string, e]));
    const after = new Map((b as Record<string, unknown>[]).map((e) => [e[key] as string, e]));
    for (const [name, e] of after) {
      const old = before.get(name);
      if (old === undefined) out.push({ op: "added", path: `${path}[${name}]`, value: e });
      else walk(old, e, `${path}[${name}]`, out);
    }
    for (const [name, e] of before) if (!after.has(name)) out.push({ op: "removed", path: `${path}[${name}]`, value: e });
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ op: "changed", path, from: a, to: b });
}

/** "name" or "id" when every element of both arrays is an object with a unique string of that key. */
function entryKey(a: unknown[], b: unknown[]): string | undefined {
  for (const key of ["name", "id"]) {
    if ([a, b].every((arr) => arr.every((e) => isRecord(e) && typeof e[key] === "string") && new Set(arr.map((e) => (e as Record<string, unknown>)[key])).size === arr.length)) {
      if (a.length + b.length > 0) return key;
    }
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One line per entry: `+ path = value`, `- path (was value)`, `~ path: from -> to`. */
export function renderDiff(entries: readonly DiffEntry[]): string {
  return entries
    .map((e) => {
      switch (e.op) {
        case "added":
          return `+ ${e.path} = ${JSON.stringify(e.value)}`;
        case "removed":
          return `- ${e.path} (was ${JSON.stringify(e.value)})`;
        case "changed":
          return `~ ${e.path}: ${JSON.stringify(e.from)} -> ${JSON.stringify(e.to)}`;
      }
    })
    .map((l) => l + "\n")
    .join("");
}
