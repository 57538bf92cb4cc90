/**
 * The state of one REPL session: the RPC clients, current store, settings, the one open result
 * stream (the REPL keeps one live iterator and pages through it with `next`), the
 * attribute keys seen so far (for completion) and where output goes, with an abort signal that
 * fires when the reader of the output went away.
 */

import { OutputClosedError } from "../core/errors.ts";
import type { ReplClient } from "./client.ts";
import { DEFAULT_SETTINGS, type Settings } from "./settings.ts";
import type { ResultStream } from "./stream.ts";
import type { Style } from "./render/style.ts";

/**
 * Where a session writes: result rows and messages to `out`, errors and JSON-mode notes to
 * `err`. `out` may throw OutputClosedError once its reader is gone.
 */
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
  private readonly gone = new AbortController();

  constructor(
    readonly client: ReplClient,
    private readonly sink: Sink,
    readonly style: Style,
    /** True when a person types at a terminal (changes a few messages, never the data). */
    readonly interactive: boolean,
  ) {}

  /** Aborted once the reader of the output went away (`| head -1`): commands stop, a script ends. */
  get outputGone(): AbortSignal {
    return this.gone.signal;
  }

  /** A result row (record, table line, JSON object). */
  row(line: string): void {
    this.out(`${line}\n`);
  }

  /** A message about the results; with JSON output it goes to stderr so stdout stays JSON. */
  note(line: string): void {
    if (this.settings.output === "json") this.sink.err(`${line}\n`);
    else this.out(`${line}\n`);
  }

  private out(text: string): void {
    if (this.gone.signal.aborted) return;
    try {
      this.sink.out(text);
    } catch (err) {
      if (!(err instanceof OutputClosedError)) throw err;
      this.gone.abort(err);
    }
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
