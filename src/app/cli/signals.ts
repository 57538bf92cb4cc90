/**
 * SIGINT/SIGTERM for commands that stop cleanly: the first signal aborts `signal` (the work
 * finishes what is in flight and returns), a second one resolves `forced` (the command
 * returns at once and main exits; whatever was left unfinished is recovered at next open).
 */

/** Exit code of a command stopped by a signal (128 + signal number, as shells report it). */
export const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

export type StopSignal = "SIGINT" | "SIGTERM";

export interface Interruptions extends Disposable {
  /** Aborted by the first signal. */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  readonly received: StopSignal | undefined;
  /** Resolves on the second signal. */
  readonly forced: Promise<StopSignal>;
}

/** Installs the handlers until disposed. */
export function interruptions(): Interruptions {
  const stop = new AbortController();
  let received: StopSignal | undefined;
  let force!: (s: StopSignal) => void;
  const forced = new Promise<StopSignal>((r) => (force = r));
  const on = (s: StopSignal) => () => {
    if (received === undefined) {
      received = s;
      stop.abort();
    } else {
      force(s);
    }
  };
  const onInt = on("SIGINT");
  const onTerm = on("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return {
    signal: stop.signal,
    get received() {
      return received;
    },
    forced,
    [Symbol.dispose]() {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    },
  };
}
