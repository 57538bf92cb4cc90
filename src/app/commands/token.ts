/**
 * `gastrolog token create|list|revoke`: API tokens for servers with auth on. `create` prints
 * the secret alone on stdout (`T=$(gastrolog token create ...)`), shown this once; the server
 * keeps a salted hash. Talks to a running server (admin needed) or, with none, to the data
 * directory's database. Implementation: token-run.ts.
 */

import { lazyRun, type Command } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { CLIENT_FLAGS } from "../cli/credentials.ts";
import { ADDR_FLAG, OUTPUT_FLAG } from "./config.ts";

export const tokenCommand: Command = {
  name: "token",
  summary: "Create, list and revoke API tokens (for servers with auth on).",
  usage: "create --name NAME --scope SCOPE... [--expires 30d] [LIMITS] | list | revoke NAME  [--data DIR | --addr ADDRESS]",
  details:
    "Scopes: admin (everything), config:read, config:write, query, ingest; all but admin may be\n" +
    "limited to stores: query:store=web,default (no list, or store=*, is every store).\n" +
    "create prints only the secret, on stdout, e.g.  T=$(gastrolog token create --name ci --scope ingest)\n" +
    "then:  gastrolog query --token \"$T\" ...   or  GASTROLOG_TOKEN=\"$T\" gastrolog repl http://host:4564\n" +
    "Limits: --max-range 7d --max-rows 10000 --timeout 30s --rate 60 (queries per minute).\n" +
    "--cert-subject CN=peer (or DNS:x, URI:spiffe://...) lets a client certificate with that\n" +
    "subject act as this token (mTLS). docs/security.md explains it all.",
  flags: [
    { name: "name", short: "n", kind: "string", value: "NAME", description: "create: the token's name (it becomes the author of config changes made with it)." },
    { name: "scope", kind: "list", value: "SCOPE", description: "create: a scope to grant (repeatable)." },
    { name: "expires", kind: "string", value: "DURATION", description: "create: lifetime, e.g. 30d, 12h.", default: "never" },
    { name: "max-range", kind: "string", value: "DURATION", description: "create: widest time range one query may span.", default: "no limit" },
    { name: "max-rows", kind: "string", value: "N", description: "create: most matches one request returns.", default: "no limit" },
    { name: "timeout", kind: "string", value: "DURATION", description: "create: how long one query may run.", default: "no limit" },
    { name: "rate", kind: "string", value: "N", description: "create: queries per minute.", default: "no limit" },
    { name: "cert-subject", kind: "list", value: "SUBJECT", description: "create: client-certificate subject that authenticates as this token (repeatable)." },
    DATA_FLAG,
    ADDR_FLAG,
    ...CLIENT_FLAGS,
    OUTPUT_FLAG,
  ],
  run: lazyRun(() => import("./token-run.ts")),
};
