/**
 * Non-interactive runs: `-c COMMAND` lists and piped stdin, one command per line, until the
 * input ends, `exit`, or the reader of the output goes away (`| head`: the running command is
 * cancelled and the script ends quietly). Never waits for more input after EOF. The exit code
 * is 1 when any command failed, 130 when interrupted.
 */

import { runLine } from "./dispatch.ts";
import type { Session } from "./session.ts";

/** Runs `lines` in order; `signal` (SIGINT) cancels the running command and stops the script. */
export async function runScript(s: Session, lines: AsyncIterable<string> | Iterable<string>, signal: AbortSignal): Promise<number> {
  let failed = false;
  const stop = AbortSignal.any([signal, s.outputGone]);
  for await (const line of lines) {
    if (stop.aborted) break;
    if (!(await runLine(s, line, stop))) failed = true;
    if (s.exiting || s.outputGone.aborted) break;
  }
  s.closeStream();
  if (signal.aborted) return 130;
  if (s.outputGone.aborted) return 0;
  return failed ? 1 : 0;
}

/** Lines of a byte stream (LF or CRLF), the last one even without a newline; ends at EOF. */
export async function* streamLines(input: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const dec = new TextDecoder();
  let buf = "";
  for await (const chunk of input) {
    buf += dec.decode(chunk, { stream: true });
    for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
      yield buf.slice(0, nl).replace(/\r$/, "");
      buf = buf.slice(nl + 1);
    }
  }
  buf += dec.decode();
  if (buf !== "") yield buf.replace(/\r$/, "");
}
