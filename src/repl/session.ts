/**
 * The state of one REPL session: the RPC clients, current store, settings, the one open result
 * stream (the REPL keeps one live iterator and pages through it with `next`), the
 * attribute keys seen so far (for completion) and where output goes.
 */

import type { ReplClient } from "./client.ts";
import { DEFAULT_SETTINGS, type Settings } from "./settings.ts";
import type { ResultStream } from "./stream.ts";
import type { Style } from "./render/style.ts";

/** Where a session writes: result rows and messages to `out`, errors and JSON-mode notes to `err`. */
export interface Sink {
  out(text: string): void;
  err(text: string): void;
}

/** Most attribute keys remembered for completion. */
const MAX_KEYS = 500;

export class Session {
  store = "default";
  readonly settings: Settings = { ...DEFAULT_SETTINGS };
  stream: ResultStream | undefined;
  /** Attribute keys seen in results, for tab completion. */
  readonly keys = new Set<string>();
  /** Set by `exit`/`quit`. */
  exiting = false;

  constructor(
    readonly client: ReplClient,
    private readonly sink: Sink,
    readonly style: Style,
    /** True when a person types at a terminal (changes a few messages, never the data). */
    readonly interactive: boolean,
  ) {}

  /** A result row (record, table line, JSON object). */
  row(line: string): void {
    this.sink.out(`${line}\n`);
  }

  /** A message about the results; with JSON output it goes to stderr so stdout stays JSON. */
  note(line: string): void {
    if (this.settings.output === "json") this.sink.err(`${line}\n`);
    else this.sink.out(`${line}\n`);
  }

  /** An error message; always returns false so commands can `return s.fail(...)`. */
  fail(line: string): false {
    this.sink.err(`${this.style.c.red(line)}\n`);
    return false;
  }

  /** Remembers the attribute keys of a record for completion. */
  sawKeys(attrs: Readonly<Record<string, string>>): void {
    for (const k in attrs) if (this.keys.size < MAX_KEYS) this.keys.add(k);
  }

  /** Cancels and forgets the open result stream, if any. */
  closeStream(): void {
    this.stream?.close();
    this.stream = undefined;
  }
}
