/**
 * `gastrolog config` at work (the command and its flags: config.ts), plus the pieces
 * `gastrolog retention` shares: the target of a command line, --output and change reports.
 */

import { writeFileSync } from "node:fs";
import { LogError } from "../../core/errors.ts";
import { renderDiff } from "../../config/diff.ts";
import { loadConfigFile } from "../../config/file.ts";
import { configJson } from "../../config/schema.ts";
import { intFlag, stringFlag } from "../cli/args.ts";
import { UsageError, type Command, type CommandIO, type ParsedArgs } from "../cli/command.ts";
import { cliAuthor, renderHistory, versionLine } from "../config-access.ts";
import { clientCredentials } from "../cli/credentials.ts";
import { configTarget } from "../config-remote.ts";
import type { ChangeOutcome, ConfigTarget } from "../config-target.ts";
import { defaultDataDir } from "../paths.ts";

/**
 * The target of a config/retention command line (closed by the caller). `readOnly`
 * subcommands create nothing: a data directory that does not exist is an error.
 */
export function targetOf(args: ParsedArgs, io: CommandIO, readOnly: boolean): Promise<ConfigTarget> {
  return configTarget(stringFlag(args, "data") ?? defaultDataDir(io.env), stringFlag(args, "addr"), clientCredentials(args, io.env), readOnly ? { env: io.env } : undefined);
}

/** Subcommands of `config` that only read. */
const READS = new Set(["show", "history", "diff", "export"]);

export const run: Command["run"] = async (args, io) => {
  const [sub, ...rest] = args.positionals;
  const json = outputIsJson(args);
  const meta = (what: string) => ({ author: cliAuthor(io.env), reason: stringFlag(args, "reason") ?? what, force: args.flags.force === true });
  const t = await targetOf(args, io, READS.has(sub ?? ""));
  try {
    switch (sub) {
      case "show": {
        const v = await t.get(args.flags.version === undefined ? undefined : intFlag(args, "version", 0));
        io.stdout(json ? JSON.stringify(v) + "\n" : `# ${versionLine(v)}\n${configJson(v.config, 2)}\n`);
        return 0;
      }
      case "history": {
        const limit = intFlag(args, "limit", 0);
        const h = await t.history(limit === 0 ? undefined : limit);
        io.stdout(json ? JSON.stringify(h) + "\n" : renderHistory(h));
        return 0;
      }
      case "diff": {
        if (rest.length < 1 || rest.length > 2) throw new UsageError("diff needs VERSION [VERSION]");
        const [a, b] = rest.map(versionArg);
        const d = await t.diff(a!, b);
        io.stdout(json ? JSON.stringify(d) + "\n" : d.length === 0 ? "no differences\n" : renderDiff(d));
        return 0;
      }
      case "export": {
        if (rest.length > 1) throw new UsageError("export takes at most one FILE");
        const text = await t.export();
        if (rest[0] === undefined || rest[0] === "-") io.stdout(text);
        else writeFileSync(rest[0], text);
        return 0;
      }
      case "set":
        if (rest.length === 0) throw new UsageError("set needs KEY=VALUE");
        return report(io, await t.set(rest, meta(`set ${rest.join(" ")}`)), json);
      case "rollback": {
        if (rest.length !== 1) throw new UsageError("rollback needs one VERSION");
        const target = versionArg(rest[0]!);
        return report(io, await t.rollback(target, meta(`rollback to version ${target}`)), json);
      }
      case "apply":
        if (rest.length !== 1) throw new UsageError("apply needs one FILE");
        return report(io, await t.apply(loadConfigFile(rest[0]!), meta(`applied ${rest[0]}`)), json);
      case undefined:
        throw new UsageError("missing subcommand (show, set, history, diff, rollback, export, apply)");
      default:
        throw new UsageError(`unknown subcommand '${sub}' (show, set, history, diff, rollback, export, apply)`);
    }
  } finally {
    t.close();
  }
};

/** `--output`: text or json. */
export function outputIsJson(args: ParsedArgs): boolean {
  const o = stringFlag(args, "output", "text");
  if (o !== "text" && o !== "json") throw new UsageError(`flag --output must be text or json (got '${o}')`);
  return o === "json";
}

/**
 * Prints what a change did: the new version and its diff, or that nothing changed. A version
 * a server stored but could not fully apply is reported on stderr with exit code 1.
 */
export function report(io: CommandIO, o: ChangeOutcome, json: boolean): number {
  const v = o.version;
  if (json) io.stdout(JSON.stringify({ changed: o.changed, version: v.version, diff: o.changed ? v.diff : [], ...(o.applyError ? { applyError: o.applyError } : {}) }) + "\n");
  else io.stdout(o.changed ? `${versionLine(v)}\n${renderDiff(v.diff)}` : `no change (config stays at version ${v.version})\n`);
  if (!o.applyError) return 0;
  io.stderr(`gastrolog: version ${v.version} is stored but the server could not apply all of it: ${o.applyError}\n`);
  return 1;
}

function versionArg(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new LogError("invalid_argument", `'${text}' is not a config version number`);
  return n;
}
