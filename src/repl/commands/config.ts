/**
 * `config show [V] | set PATH=VALUE... [-m REASON] [--force] | history [N] | diff V1 [V2] |
 * rollback V [-m REASON] [--force] | export [FILE]`: the versioned configuration through ConfigService, printed like
 * `gastrolog config`. Writes are validated and applied by the server before they answer.
 */

import { writeFileSync } from "node:fs";
import { LogError } from "../../core/errors.ts";
import { rpcMessage } from "../client.ts";
import { renderChange, renderDiff, renderHistory, versionLine } from "../render/config.ts";
import type { Session } from "../session.ts";
import { splitWords, takeReason } from "../words.ts";
import { jsonLine } from "./json.ts";
import type { ReplCommand } from "./command.ts";

/** The generated module, loaded only for JSON output (start-up builds no descriptors for it). */
const pb = () => import("../../api/gen/gastrolog/v1/config_pb.ts");

const USAGE = "config show [V] | set PATH=VALUE... [-m REASON] [--force] | history [N] | diff V1 [V2] | rollback V [-m REASON] [--force] | export [FILE]";

/** `--force` among `words` (allows a config without stores), and the words without it. */
function takeForce(words: readonly string[]): { rest: string[]; force: boolean } {
  return { rest: words.filter((w) => w !== "--force"), force: words.includes("--force") };
}

/** A version number argument. */
export function versionArg(text: string | undefined, what: string): bigint {
  if (text === undefined || !/^\d+$/.test(text)) throw new LogError("invalid_argument", `${what}: '${text ?? ""}' is not a config version number`);
  return BigInt(text);
}

function usage(words: readonly string[], min: number, max: number): void {
  if (words.length < min || words.length > max) throw new LogError("invalid_argument", `Usage: ${USAGE}`);
}

/** Prints a write's outcome; false when the server stored it but could not apply it. */
export async function printChange(s: Session, change: Parameters<typeof renderChange>[0]): Promise<boolean> {
  if (s.settings.output === "json" && change) s.row(jsonLine((await pb()).ConfigChangeSchema, change));
  else for (const line of renderChange(change)) s.row(line);
  if (!change?.applyError) return true;
  return s.fail(`Error: version ${change.version?.version} is stored but the server could not apply all of it: ${change.applyError}`);
}

async function run(s: Session, words: string[], signal: AbortSignal): Promise<boolean> {
  const json = s.settings.output === "json";
  const [sub = "show", ...args] = words;
  switch (sub) {
    case "show": {
      usage(args, 0, 1);
      const r = await s.client.config.getConfigVersion(args[0] === undefined ? {} : { version: versionArg(args[0], "show") }, { signal });
      if (json) s.row(jsonLine((await pb()).GetConfigVersionResponseSchema, r));
      else for (const line of [`# ${versionLine(r.info)}`, ...r.configJson.trimEnd().split("\n")]) s.row(line);
      return true;
    }
    case "set": {
      const { rest: words, force } = takeForce(args);
      const { rest, reason } = takeReason(words);
      if (rest.length === 0) throw new LogError("invalid_argument", "Usage: config set PATH=VALUE... [-m REASON] [--force]");
      return printChange(s, (await s.client.config.setConfig({ assignments: rest, reason, force }, { signal })).change);
    }
    case "history": {
      usage(args, 0, 1);
      const limit = args[0] === undefined ? 0 : Number(versionArg(args[0], "history"));
      const r = await s.client.config.getConfigHistory({ limit }, { signal });
      if (json) for (const v of r.versions) s.row(jsonLine((await pb()).ConfigVersionInfoSchema, v));
      else for (const line of renderHistory(r.versions)) s.row(line);
      return true;
    }
    case "diff": {
      usage(args, 1, 2);
      const r = await s.client.config.diffConfig({ from: versionArg(args[0], "diff"), ...(args[1] === undefined ? {} : { to: versionArg(args[1], "diff") }) }, { signal });
      if (json) for (const e of r.diff) s.row(JSON.stringify({ op: e.op, path: e.path, value: e.valueJson || undefined, from: e.fromJson || undefined, to: e.toJson || undefined }));
      else if (r.diff.length === 0) s.note("no differences");
      else for (const line of renderDiff(r.diff)) s.row(line);
      return true;
    }
    case "rollback": {
      const { rest: words, force } = takeForce(args);
      const { rest, reason } = takeReason(words);
      usage(rest, 1, 1);
      return printChange(s, (await s.client.config.rollbackConfig({ version: versionArg(rest[0], "rollback"), reason, force }, { signal })).change);
    }
    case "export": {
      usage(args, 0, 1);
      const r = await s.client.config.exportConfig({}, { signal });
      if (args[0] === undefined) for (const line of r.configJson.trimEnd().split("\n")) s.row(line);
      else {
        writeFileSync(args[0], r.configJson);
        s.note(`version ${r.version} written to ${args[0]}`);
      }
      return true;
    }
    default:
      throw new LogError("invalid_argument", `unknown subcommand '${sub}'. Usage: ${USAGE}`);
  }
}

export const configCommand: ReplCommand = {
  name: "config",
  usage: "[show|set|history|diff|rollback|export] ...",
  summary: "Show, change, diff and roll back the versioned configuration.",
  completion: "subcommand",
  subcommands: { show: "none", set: "none", history: "none", diff: "none", rollback: "none", export: "none" },
  async run(s, args, signal) {
    try {
      return await run(s, splitWords(args), signal);
    } catch (err) {
      return s.fail(err instanceof LogError ? err.message : `Error: ${rpcMessage(err)}`);
    }
  },
};
