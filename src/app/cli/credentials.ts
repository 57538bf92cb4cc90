/**
 * What the CLI and REPL present to a server: an API token from --token, --token-file,
 * $GASTROLOG_TOKEN or $GASTROLOG_TOKEN_FILE (first found), and for HTTPS the PEM files named
 * by $GASTROLOG_TLS_CA (a CA to trust besides the system's), $GASTROLOG_TLS_CERT and
 * $GASTROLOG_TLS_KEY (a client certificate for mTLS).
 */

import { readFileSync } from "node:fs";
import { errorMessage, LogError } from "../../core/errors.ts";
import type { ClientCredentials } from "../../api/transports.ts";
import { stringFlag } from "./args.ts";
import type { FlagSpec, ParsedArgs } from "./command.ts";

export const TOKEN_FLAG: FlagSpec = { name: "token", kind: "string", value: "TOKEN", description: "API token for a server with auth on (sent as Authorization: Bearer).", default: "$GASTROLOG_TOKEN" };
export const TOKEN_FILE_FLAG: FlagSpec = { name: "token-file", kind: "string", value: "FILE", description: "Read the API token from FILE (first line).", default: "$GASTROLOG_TOKEN_FILE" };
/** The flags of every command that can talk to a server. */
export const CLIENT_FLAGS: readonly FlagSpec[] = [TOKEN_FLAG, TOKEN_FILE_FLAG];

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new LogError("invalid_argument", `cannot read ${what} ${JSON.stringify(path)}: ${errorMessage(err)}`);
  }
}

/** The credentials of a command line (see the header). */
export function clientCredentials(args: ParsedArgs, env: Record<string, string | undefined>): ClientCredentials {
  const out: ClientCredentials = {};
  const file = stringFlag(args, "token-file");
  const token = stringFlag(args, "token") ?? (file !== undefined ? undefined : env.GASTROLOG_TOKEN);
  const tokenFile = file ?? (token === undefined ? env.GASTROLOG_TOKEN_FILE : undefined);
  const t = token ?? (tokenFile ? readText(tokenFile, "token file").split("\n")[0]!.trim() : undefined);
  if (t !== undefined && t !== "") out.token = t;
  if (env.GASTROLOG_TLS_CA) out.ca = readText(env.GASTROLOG_TLS_CA, "CA file ($GASTROLOG_TLS_CA)");
  if (env.GASTROLOG_TLS_CERT) out.cert = readText(env.GASTROLOG_TLS_CERT, "client certificate ($GASTROLOG_TLS_CERT)");
  if (env.GASTROLOG_TLS_KEY) out.key = readText(env.GASTROLOG_TLS_KEY, "client key ($GASTROLOG_TLS_KEY)");
  return out;
}
