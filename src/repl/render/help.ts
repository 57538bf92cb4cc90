/** The fixed `help` text: commands, query syntax, settings, keys and examples. Pure. */

import type { ReplCommand } from "../commands/command.ts";
import { DEFAULT_SETTINGS, describeSettings } from "../settings.ts";

const QUERY_HELP = [
  "Query filters:",
  "  error                    a word (case-insensitive, whole token)",
  '  "disk full"  404         phrases and non-token words match as substrings',
  "  level=error  level=*  *=error   attribute or message key=value",
  "  error -debug             AND is implicit; also OR, NOT, parentheses",
  "  start=-15m end=now last=1h      time bounds on event time, half-open [start, end)",
  "  limit=50 reverse=true    control arguments (reverse: last stored first)",
];

const KEYS_HELP = [
  "Keys:",
  "  Tab completes commands, settings, attribute keys, stores and chunk IDs.",
  "  Up/Down walk the history; Ctrl-C cancels a running query or follow; Ctrl-D exits.",
];

const EXAMPLES = ["Examples:", "  query error host=web-1 last=1h", "  next 50", "  follow level=error", "  set pager=25 context=2", "  explain failed password", "  analyze <chunk-id>", '  config set server.logLevel=debug -m "chasing a bug"', "  retention set default maxAge=7d maxBytes=10GB"];

export function renderHelp(commands: readonly ReplCommand[]): string[] {
  const rows = commands.map((c) => [[c.name, ...(c.aliases ?? [])].join(", ") + (c.usage ? ` ${c.usage}` : ""), c.summary] as const);
  const width = Math.min(44, Math.max(...rows.map(([a]) => a.length)));
  return [
    "Commands:",
    ...rows.map(([a, b]) => (a.length > width ? `  ${a}\n  ${"".padEnd(width)}  ${b}` : `  ${a.padEnd(width)}  ${b}`)),
    "",
    ...QUERY_HELP,
    "",
    `Settings (defaults: ${describeSettings(DEFAULT_SETTINGS).join(" ")}):`,
    "  pager=N                  records per page; 0 shows all",
    "  output=text|json         one JSON object per record or row",
    "  context=N                records shown before and after each match",
    "",
    ...KEYS_HELP,
    "",
    ...EXAMPLES,
  ];
}
