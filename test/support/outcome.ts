/**
 * Outcomes of calls that may throw, as values, for table tests of refusals: "ok" when the
 * call returns, else the error's code (LogError) or message.
 */

import { errorMessage } from "../../src/core/errors.ts";

/** "ok", or the thrown error's `code` (its message when it has none). */
export function thrownCode(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (err) {
    return (err as { code?: string }).code ?? errorMessage(err);
  }
}

/** "ok", or the thrown error's message. */
export function thrownMessage(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (err) {
    return errorMessage(err);
  }
}
