/**
 * `gastrolog config`: show, change and undo the versioned configuration of a data directory
 * (`<data>/config.sqlite`): show, set KEY=VALUE, history, diff, rollback, export, apply FILE.
 * Works directly on --data while no server holds the directory; every change is validated and
 * stored as a new version with author and reason.
 */

import { writeFileSync } from "node:fs";
import { LogError } from "../../core/errors.ts";
import { renderDiff } from "../../config/diff.ts";
import { applyFileIfChanged } from "../../config/file.ts";
import { parseValue, setPath } from "../../config/json-path.ts";
import { configJson } from "../../config/schema.ts";
import type { ConfigVersion } from "../../config/store.ts";
import { intFlag, stringFlag } from "../cli/args.ts";
import { UsageError, type Command, type CommandIO, type FlagSpec, type ParsedArgs } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { cliAuthor, readConfig, renderHistory, versionLine, writeConfig } from "../config-access.ts";
import { defaultDataDir } from "../paths.ts";

/** Flags shared with `gastrolog retention`. */
export const REASON_FLAG: FlagSpec = { name: "reason", short: "m", kind: "string", value: "TEXT", description: "Why the change is made (kept in the history)." };
export const OUTPUT_FLAG: FlagSpec = { name: "output", short: "o", kind: "string", value: "text|json", description: "Output format.", default: "text" };

export const configCommand: Command = {
  name: "config",
  summary: "Show, change, diff and roll back the versioned configuration.",
  usage: "[--data DIR] show|set KEY=VALUE...|history|diff V1 [V2]|rollback V|export [FILE]|apply FILE",
  details:
    "show [--version N]   the current (or an older) config as JSON\n" +
    "set KEY=VALUE...     change fields; KEY is a path like server.logLevel or\n" +
    "                     stores[prod].retention.maxAge; VALUE is JSON or plain text;\n" +
    "                     null deletes; stores[new]={...} adds a store\n" +
    "history [--limit N]  versions, newest first\n" +
    "diff V1 [V2]         what changed from V1 to V2 (default: current)\n" +
    "rollback V           store version V's config as a new version\n" +
    "export [FILE]        the current config as JSON (stdout or FILE)\n" +
    "apply FILE           make a JSON or TOML file the config (a new version if it differs)\n" +
    "Changes need the data directory to be free (no running server). File format: docs/config.md.",
  flags: [
    DATA_FLAG,
    REASON_FLAG,
    OUTPUT_FLAG,
    { name: "version", kind: "string", value: "N", description: "show: print this version instead of the current one." },
    { name: "limit", short: "n", kind: "string", value: "N", description: "history: most versions to list (0 = all).", default: "0" },
  ],
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    const dataDir = stringFlag(args, "data") ?? defaultDataDir(io.env);
    const json = outputIsJson(args);
    const meta = (what: string) => ({ author: cliAuthor(io.env), reason: stringFlag(args, "reason") ?? what });
    switch (sub) {
      case "show": {
        const n = args.flags.version === undefined ? undefined : intFlag(args, "version", 0);
        const v = readConfig(dataDir, (s) => (n === undefined ? s.current() : s.get(n)));
        io.stdout(json ? JSON.stringify(v) + "\n" : `# ${versionLine(v)}\n${configJson(v.config, 2)}\n`);
        return 0;
      }
      case "history": {
        const limit = intFlag(args, "limit", 0);
        const h = readConfig(dataDir, (s) => s.history(limit === 0 ? undefined : limit));
        io.stdout(json ? JSON.stringify(h) + "\n" : renderHistory(h));
        return 0;
      }
      case "diff": {
        if (rest.length < 1 || rest.length > 2) throw new UsageError("diff needs VERSION [VERSION]");
        const [a, b] = rest.map(versionArg);
        const d = readConfig(dataDir, (s) => s.diff(a!, b));
        io.stdout(json ? JSON.stringify(d) + "\n" : d.length === 0 ? "no differences\n" : renderDiff(d));
        return 0;
      }
      case "export": {
        if (rest.length > 1) throw new UsageError("export takes at most one FILE");
        const text = readConfig(dataDir, (s) => s.export());
        if (rest[0] === undefined || rest[0] === "-") io.stdout(text);
        else writeFileSync(rest[0], text);
        return 0;
      }
      case "set": {
        if (rest.length === 0) throw new UsageError("set needs KEY=VALUE");
        const r = writeConfig(dataDir, (s) => {
          const cur = s.current();
          let doc: unknown = cur.config;
          for (const kv of rest) doc = setPath(doc, ...splitAssignment(kv));
          const v = s.apply(doc, { ...meta(`set ${rest.join(" ")}`), ifVersion: cur.version });
          return { version: v, changed: v.version !== cur.version };
        });
        return report(io, r.version, json, r.changed);
      }
      case "rollback": {
        if (rest.length !== 1) throw new UsageError("rollback needs one VERSION");
        const target = versionArg(rest[0]!);
        const r = writeConfig(dataDir, (s) => {
          const before = s.current().version;
          const v = s.rollback(target, meta(`rollback to version ${target}`));
          return { version: v, changed: v.version !== before };
        });
        return report(io, r.version, json, r.changed);
      }
      case "apply": {
        if (rest.length !== 1) throw new UsageError("apply needs one FILE");
        const r = writeConfig(dataDir, (s) => applyFileIfChanged(s, rest[0]!, meta(`applied ${rest[0]}`)));
        return report(io, r.version, json, r.changed);
      }
      case undefined:
        throw new UsageError("missing subcommand (show, set, history, diff, rollback, export, apply)");
      default:
        throw new UsageError(`unknown subcommand '${sub}' (show, set, history, diff, rollback, export, apply)`);
    }
  },
};

/** `--output`: text or json. */
export function outputIsJson(args: ParsedArgs): boolean {
  const o = stringFlag(args, "output", "text");
  if (o !== "text" && o !== "json") throw new UsageError(`flag --output must be text or json (got '${o}')`);
  return o === "json";
}

/** Prints what a change did: the new version and its diff, or that nothing changed. */
export function report(io: CommandIO, v: ConfigVersion, json: boolean, changed: boolean): number {
  if (json) io.stdout(JSON.stringify({ changed, version: v.version, diff: changed ? v.diff : [] }) + "\n");
  else io.stdout(changed ? `${versionLine(v)}\n${renderDiff(v.diff)}` : `no change (config stays at version ${v.version})\n`);
  return 0;
}

/** `KEY=VALUE` split at the first `=` outside brackets (store names may not hold `=`). */
function splitAssignment(text: string): [string, unknown] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`expected KEY=VALUE, got '${text}'`);
  return [text.slice(0, eq), parseValue(text.slice(eq + 1))];
}

function versionArg(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new LogError("invalid_argument", `'${text}' is not a config version number`);
  return n;
}
