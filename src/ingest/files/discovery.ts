/**
 * Which files a follower looks at: the live files its glob patterns match (Bun.Glob, `**`
 * included, symlinks followed) and, beside each, the rotated siblings that share its name
 * plus a suffix — `app.log.1`, `app.log.2.gz`, `app.log-20240101`, `x-json.log.1.gz`,
 * `0.log.20240101-000000` — which are read only when known (a file that was followed before
 * it was renamed or compressed) or when the receiver reads rotated files.
 */

import { readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { LogError } from "../../core/errors.ts";

/** One glob pattern split into the directory to watch and the glob under it. */
export interface FilePattern {
  /** The pattern as given. */
  text: string;
  /** Longest leading directory without glob characters (watched). */
  base: string;
  glob: Bun.Glob;
}

const GLOB_CHARS = /[*?[\]{}]/;

/** Compiles an absolute pattern; throws LogError("invalid_argument") for a relative one. */
export function compilePattern(text: string): FilePattern {
  if (!text.startsWith("/")) throw new LogError("invalid_argument", `file pattern ${JSON.stringify(text)} must be an absolute path`);
  const parts = text.split("/");
  let i = 1;
  while (i < parts.length - 1 && !GLOB_CHARS.test(parts[i]!)) i++;
  if (!GLOB_CHARS.test(text)) i = parts.length - 1;
  const base = parts.slice(0, i).join("/") || "/";
  return { text, base, glob: new Bun.Glob(parts.slice(i).join("/")) };
}

/** Live files matched by the patterns now (absolute paths, sorted, no duplicates). */
export function liveFiles(patterns: readonly FilePattern[]): string[] {
  const out = new Set<string>();
  for (const p of patterns) {
    try {
      for (const f of p.glob.scanSync({ cwd: p.base, absolute: true, onlyFiles: true, followSymlinks: true, dot: true })) out.add(f);
    } catch {
      // the base directory does not exist (yet): nothing matches
    }
  }
  return [...out].sort();
}

/** A file beside a live one whose name is the live name plus a rotation suffix. */
export interface RotatedFile {
  path: string;
  /** The live file it was rotated from (its name gives the attrs). */
  live: string;
  gz: boolean;
}

/** Rotated siblings of `livePaths`, oldest first (by modification time). */
export function rotatedFiles(livePaths: readonly string[]): RotatedFile[] {
  const byDir = new Map<string, string[]>();
  for (const p of livePaths) {
    const d = dirname(p);
    const list = byDir.get(d) ?? [];
    list.push(basename(p));
    byDir.set(d, list);
  }
  const out: (RotatedFile & { mtime: number })[] = [];
  for (const [dir, names] of byDir) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    const live = new Set(names);
    for (const e of entries) {
      if (live.has(e)) continue;
      const owner = names.find((n) => e.length > n.length + 1 && e.startsWith(n) && (e[n.length] === "." || e[n.length] === "-"));
      if (owner === undefined) continue;
      const path = join(dir, e);
      try {
        const st = statSync(path);
        if (st.isFile()) out.push({ path, live: join(dir, owner), gz: e.endsWith(".gz"), mtime: st.mtimeMs });
      } catch {
        // vanished while listing
      }
    }
  }
  return out.sort((a, b) => a.mtime - b.mtime || (a.path < b.path ? -1 : 1)).map(({ path, live, gz }) => ({ path, live, gz }));
}
