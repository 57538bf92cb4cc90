/** `gastrolog token` (definition and help in token.ts). */

import { durationError, parseDuration } from "../../core/duration.ts";
import { formatShort } from "../../core/time.ts";
import { formatScope, parseScope } from "../../security/scopes.ts";
import type { TokenInfo } from "../../security/token-store.ts";
import { intFlag, stringFlag } from "../cli/args.ts";
import { UsageError, type Command, type CommandIO, type ParsedArgs } from "../cli/command.ts";
import { clientCredentials } from "../cli/credentials.ts";
import { renderTable } from "../cli/table.ts";
import { cliAuthor } from "../config-access.ts";
import { defaultDataDir } from "../paths.ts";
import { tokenTarget } from "../token-target.ts";
import { outputIsJson } from "./config-run.ts";

function duration(args: ParsedArgs, flag: string): number {
  const v = stringFlag(args, flag);
  if (v === undefined) return 0;
  const us = parseDuration(v);
  if (us === undefined) throw new UsageError(durationError(`flag --${flag}`, v));
  if (us === 0) throw new UsageError(`flag --${flag} must be longer than 0`);
  return us;
}

function when(us: number, none: string): string {
  return us === 0 ? none : `${formatShort(us)} UTC`;
}

function tokenJson(t: TokenInfo): string {
  return JSON.stringify({ ...t, scopes: t.scopes.map(formatScope) });
}

export const run: Command["run"] = async (args: ParsedArgs, io: CommandIO): Promise<number> => {
  const [sub, ...rest] = args.positionals;
  if (sub !== "create" && sub !== "list" && sub !== "revoke") throw new UsageError(`expected create, list or revoke${sub ? ` (got '${sub}')` : ""}`);
  const json = outputIsJson(args);
  const t = await tokenTarget(stringFlag(args, "data") ?? defaultDataDir(io.env), stringFlag(args, "addr"), clientCredentials(args, io.env));
  try {
    if (sub === "create") {
      const name = stringFlag(args, "name");
      if (!name || rest.length > 0) throw new UsageError("create needs --name NAME (and no other arguments)");
      const scopes = ((args.flags.scope as string[] | undefined) ?? []).map((s) => {
        try {
          return parseScope(s);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
      });
      if (scopes.length === 0) throw new UsageError("create needs at least one --scope (admin, config:read, config:write, query, ingest)");
      const limits = { maxRangeUs: duration(args, "max-range"), maxRows: intFlag(args, "max-rows", 0), timeoutMs: Math.round(duration(args, "timeout") / 1000), perMinute: intFlag(args, "rate", 0) };
      const r = await t.create({ name, scopes, limits, certSubjects: (args.flags["cert-subject"] as string[] | undefined) ?? [], ttlUs: duration(args, "expires"), createdBy: cliAuthor(io.env) });
      io.stdout(`${r.secret}\n`);
      io.stderr(`token ${r.info.name} created (${r.info.scopes.map(formatScope).join(" ")}; expires ${when(r.info.expiresAt, "never")}); its secret is shown only now\n`);
      return 0;
    }
    if (sub === "revoke") {
      if (rest.length !== 1) throw new UsageError("revoke needs one NAME");
      await t.revoke(rest[0]!);
      io.stdout(`token ${rest[0]} revoked\n`);
      return 0;
    }
    const tokens = await t.list();
    if (json) io.stdout(tokens.map((x) => tokenJson(x) + "\n").join(""));
    else if (tokens.length === 0) io.stdout("no tokens (create one with: gastrolog token create --name NAME --scope SCOPE)\n");
    else io.stdout(renderTable(["NAME", "SCOPES", "EXPIRES", "LAST USED", "CREATED BY"], tokens.map((x) => [x.name, x.scopes.map(formatScope).join(" "), when(x.expiresAt, "never"), when(x.lastUsedAt, "never"), x.createdBy])));
    return 0;
  } finally {
    t.close();
  }
};
