/**
 * Parses a subcommand's argv against its declared flags: `--name value`, `--name=value`, `-x value`,
 * boolean flags, repeatable list flags, `--` ending flags, and a lone `-` as a positional (stdin).
 * Anything undeclared is a UsageError (exit code 2 in main).
 */

import { parseCount } from "../../query/lang/controls.ts";
import { UsageError, type FlagSpec, type ParsedArgs } from "./command.ts";

const HELP_FLAG: FlagSpec = { name: "help", short: "h", kind: "boolean", description: "Show this help." };

/** The flags every command accepts in addition to its own. */
export function withCommonFlags(flags: readonly FlagSpec[]): FlagSpec[] {
  return [...flags, HELP_FLAG];
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const all = withCommonFlags(specs);
  const byName = new Map(all.map((f) => [f.name, f]));
  const byShort = new Map(all.filter((f) => f.short).map((f) => [f.short!, f]));
  const flags: ParsedArgs["flags"] = {};
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    let spec: FlagSpec | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      spec = byName.get(name);
    } else {
      name = arg.slice(1);
      spec = byShort.get(name);
    }
    if (!spec) throw new UsageError(`unknown flag '${arg}'`);
    if (spec.kind === "boolean") {
      if (inline !== undefined && inline !== "true" && inline !== "false") {
        throw new UsageError(`flag --${spec.name} takes no value (got '${inline}')`);
      }
      flags[spec.name] = inline !== "false";
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`flag --${spec.name} needs a value (${spec.value ?? "VALUE"})`);
      value = argv[++i]!;
    }
    if (spec.kind === "list") {
      const list = (flags[spec.name] as string[] | undefined) ?? [];
      list.push(value);
      flags[spec.name] = list;
    } else {
      flags[spec.name] = value;
    }
  }
  return { flags, positionals };
}

/** Reads a string flag, falling back to `fallback`. */
export function stringFlag(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags[name];
  return typeof v === "string" ? v : fallback;
}

/**
 * Reads a whole-number flag (digits only, as `limit=` in query text: no sign, fraction or
 * exponent), with a usage error naming the flag for bad values.
 */
export function intFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = stringFlag(args, name);
  if (v === undefined) return fallback;
  const n = parseCount(v);
  if (n === undefined) throw new UsageError(`flag --${name} needs a whole number ≥ 0 (got '${v}')`);
  return n;
}
