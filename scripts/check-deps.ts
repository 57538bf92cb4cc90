/**
 * Dependency-direction check (GUIDE.md §3): reads the import lines of every src/ file and fails
 * when a module imports one it may not. Run: `bun scripts/check-deps.ts` (exit 1 on violations).
 * Also exported for test/deps.test.ts.
 */

import { Glob } from "bun";
import { dirname, join, relative, resolve } from "node:path";

/** Which src/ modules each module may import (besides itself). */
export const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  observability: ["core"],
  // config validates route expressions (query language over attributes) with the pure parser.
  config: ["core", "observability", "query/lang"],
  security: ["core", "config", "observability"],
  storage: ["core", "observability"],
  index: ["core", "observability", "storage"],
  "query/lang": ["core"],
  "query/engine": ["core", "observability", "query/lang", "index", "storage"],
  // ingest/route evaluates the compiled routes of config/route.ts (as security reads config).
  ingest: ["core", "observability", "security", "storage", "config"],
  api: ["core", "observability", "config", "security", "storage", "index", "query/lang", "query/engine", "ingest", "api/gen"],
  "api/gen": [],
  repl: ["core", "api/gen"],
  app: ["*"],
  main: ["*"],
};

/** Maps a path relative to src/ to its module name. */
export function moduleOf(relPath: string): string {
  if (relPath === "main.ts") return "main";
  const parts = relPath.split("/");
  if (parts[0] === "query" || (parts[0] === "api" && parts[1] === "gen")) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

const IMPORT_RE = /^\s*(?:import|export)\s[^"']*?from\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']/gm;

export interface Violation {
  file: string;
  imports: string;
  from: string;
  to: string;
}

export async function checkDependencies(root: string): Promise<Violation[]> {
  const src = join(root, "src");
  const violations: Violation[] = [];
  for await (const rel of new Glob("**/*.ts").scan({ cwd: src })) {
    const from = moduleOf(rel);
    const allowed = ALLOWED[from];
    const text = await Bun.file(join(src, rel)).text();
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith(".")) continue;
      const target = relative(src, resolve(dirname(join(src, rel)), spec));
      if (target.startsWith("..")) continue; // package.json and other files outside src/
      const to = moduleOf(target);
      if (to === from || allowed === undefined || allowed.includes("*") || allowed.includes(to)) continue;
      violations.push({ file: `src/${rel}`, imports: spec, from, to });
    }
    if (allowed === undefined) violations.push({ file: `src/${rel}`, imports: "(module not in GUIDE §3 table)", from, to: "?" });
  }
  return violations;
}

if (import.meta.main) {
  const violations = await checkDependencies(resolve(import.meta.dir, ".."));
  for (const v of violations) console.error(`${v.file}: ${v.from} may not import ${v.to} (${v.imports})`);
  console.log(violations.length === 0 ? "dependency directions: ok" : `${violations.length} violation(s)`);
  process.exit(violations.length === 0 ? 0 : 1);
}
