/** Renders the top-level and per-command help text (pure). */

import { withCommonFlags } from "./args.ts";
import type { Command, FlagSpec } from "./command.ts";

export function renderTopHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = [
    "gastrolog — log aggregation and search in one executable",
    "",
    "Usage: gastrolog COMMAND [FLAGS] [ARGS]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run 'gastrolog COMMAND --help' for a command's flags.",
  ];
  return lines.join("\n") + "\n";
}

function flagLabel(f: FlagSpec): string {
  const short = f.short ? `-${f.short}, ` : "    ";
  const value = f.kind === "boolean" ? "" : ` ${f.value ?? "VALUE"}`;
  return `${short}--${f.name}${value}`;
}

export function renderCommandHelp(cmd: Command): string {
  const flags = withCommonFlags(cmd.flags);
  const labels = flags.map(flagLabel);
  const width = Math.max(...labels.map((l) => l.length));
  const lines = [`Usage: gastrolog ${cmd.name} ${cmd.usage}`.trimEnd(), "", cmd.summary];
  if (cmd.details) lines.push("", cmd.details);
  lines.push("", "Flags:");
  flags.forEach((f, i) => {
    const extra = f.kind === "list" ? " (repeatable)" : "";
    const dflt = f.default !== undefined ? ` [default: ${f.default}]` : "";
    lines.push(`  ${labels[i]!.padEnd(width)}  ${f.description}${extra}${dflt}`);
  });
  return lines.join("\n") + "\n";
}
