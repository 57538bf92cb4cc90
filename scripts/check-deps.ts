/**
 * Dependency-direction check (GUIDE.md §3): reads the import lines of every src/ file and fails
 * when a module imports one it may not. Sub-modules (a folder inside a module, e.g. the segment
 * backend storage/segment) are private to their module: another module may import one only
 * when the table names it, so "the engine sees storage interfaces, never a backend's helpers"
 * is checked too, and so are the few edges limited to some files of a module (the engine sees
 * the index's interfaces, not its readers). Tests and test support beside the code may use any
 * sub-module or file (a test builds a concrete store). Run: `bun scripts/check-deps.ts` (exit 1 on violations); also exported for
 * test/deps.test.ts.
 */

import { Glob } from "bun";
import { dirname, join, relative, resolve } from "node:path";

/**
 * Which src/ modules each module may import (besides itself). For the modules in
 * PRIVATE_SUBMODULES a module name allows only its top-level files; each sub-module
 * ("storage/retention") must be named to be allowed.
 */
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
  // api reports retention sweeps (storage/retention's result types), routing counters
  // (ingest/route) and the ingest queue's figures (ingest/pipeline).
  api: ["core", "observability", "config", "security", "storage", "storage/retention", "index", "query/lang", "query/engine", "ingest", "ingest/route", "ingest/pipeline", "api/gen"],
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

/**
 * Modules whose folders are private to them: storage's backends (file, memory, segment,
 * textfile) and retention, ingest's receivers, parsers, pipeline and router. (core's bytes/
 * helpers and the generated api/gen tree are shared as a whole.)
 */
export const PRIVATE_SUBMODULES: readonly string[] = ["storage", "ingest"];

/**
 * The sub-module of `module` that holds `relPath` ("storage/segment" for
 * storage/segment/batch.ts), or undefined for the module's top-level files.
 */
export function subModuleOf(relPath: string, module: string): string | undefined {
  if (!PRIVATE_SUBMODULES.includes(module)) return undefined;
  const rest = relPath.slice(module.length + 1).split("/");
  return rest.length > 1 ? `${module}/${rest[0]}` : undefined;
}

/**
 * Files of a module that another may import, when not all: the engine sees the index through
 * its interfaces (types.ts: probes, answers) and the pure helpers its predicates evaluate with
 * (positions, tokens, key=value extraction, the format-field walkers); opening and reading
 * index sections (open.ts, registry.ts, section readers) is the composition root's business.
 */
export const LIMITED_FILES: Record<string, Record<string, readonly string[]>> = {
  "query/engine": {
    index: [
      "index/types.ts",
      "index/postings.ts",
      "index/tokenizer.ts",
      "index/kv-extract.ts",
      "index/format-fields.ts",
      "index/field-walk.ts",
      "index/json-fields.ts",
      "index/clf-fields.ts",
      "index/logfmt-fields.ts",
      "index/syslog-fields.ts",
    ],
  },
};

/** Unit tests and test support beside the code: exempt from the sub-module rule. */
function isTestFile(relPath: string): boolean {
  return /\.test\.ts$|\.suite\.ts$|test-support\.ts$/.test(relPath);
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
      if (to === from || allowed === undefined || allowed.includes("*")) continue;
      const sub = subModuleOf(target, to);
      const limited = LIMITED_FILES[from]?.[to];
      if (!allowed.includes(to)) violations.push({ file: `src/${rel}`, imports: spec, from, to });
      else if (sub !== undefined && !allowed.includes(sub) && !isTestFile(rel)) violations.push({ file: `src/${rel}`, imports: spec, from, to: sub });
      else if (limited !== undefined && !limited.includes(target) && !isTestFile(rel)) violations.push({ file: `src/${rel}`, imports: spec, from, to: target });
    }
    if (allowed === undefined) violations.push({ file: `src/${rel}`, imports: "(module not in GUIDE §3 table)", from, to: "?" });
  }
  return violations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

if (import.meta.main) {
  const violations = await checkDependencies(resolve(import.meta.dir, ".."));
  for (const v of violations) console.error(`${v.file}: ${v.from} may not import ${v.to} (${v.imports})`);
  console.log(violations.length === 0 ? "dependency directions: ok" : `${violations.length} violation(s)`);
  process.exit(violations.length === 0 ? 0 : 1);
}
