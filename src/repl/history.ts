/**
 * Persistent command history: ~/.gastrolog_history or $GASTROLOG_HISTORY, loaded at
 * start, one line per command, consecutive duplicates skipped, the last 1000 kept, file mode
 * 0600. A history file that cannot be read or written never stops the REPL.
 */

import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const HISTORY_LIMIT = 1000;

/** $GASTROLOG_HISTORY, else ~/.gastrolog_history. */
export function historyPath(env: Record<string, string | undefined>): string {
  return env.GASTROLOG_HISTORY || join(env.HOME || homedir(), ".gastrolog_history");
}

export class History {
  /** Oldest first. */
  private lines: string[] = [];

  constructor(private readonly path: string) {
    try {
      this.lines = readFileSync(path, "utf8").split("\n").filter((l) => l !== "").slice(-HISTORY_LIMIT);
    } catch {
      this.lines = [];
    }
  }

  /** Newest first, as node:readline wants its `history` option. */
  newestFirst(): string[] {
    return [...this.lines].reverse();
  }

  /** Oldest first. */
  entries(): readonly string[] {
    return this.lines;
  }

  /** Records an executed line (unless blank or equal to the previous one) and saves the file. */
  add(line: string): void {
    const text = line.replace(/[\r\n]+/g, " ").trim();
    if (text === "" || this.lines[this.lines.length - 1] === text) return;
    this.lines.push(text);
    if (this.lines.length > HISTORY_LIMIT) this.lines.splice(0, this.lines.length - HISTORY_LIMIT);
    try {
      writeFileSync(this.path, `${this.lines.join("\n")}\n`, { mode: 0o600 });
      chmodSync(this.path, 0o600);
    } catch {
      // An unwritable history file (read-only home) only costs the history.
    }
  }
}
