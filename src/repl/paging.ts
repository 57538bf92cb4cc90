/**
 * Prints one page of the open result stream (spec A7.3 paging): up to N records, then either
 * `--- n records shown. Use 'next' for more. ---` or the end-of-results line, after which the
 * stream is closed. Ctrl-C (the signal) cancels the query and closes the stream.
 */

import { hitJson, hitLine } from "./render/records.ts";
import { isCancel, rpcMessage } from "./client.ts";
import type { Session } from "./session.ts";

/**
 * Prints up to `count` records (0 = all); false when the stream failed or was cancelled.
 * `errorPrefix` starts the message of a failed stream (`Query error` for a new query).
 */
export async function printPage(s: Session, count: number, signal: AbortSignal, errorPrefix = "Error"): Promise<boolean> {
  const stream = s.stream;
  if (!stream) return s.fail("No active query. Use 'query' first.");
  const onAbort = () => stream.close();
  signal.addEventListener("abort", onAbort);
  const max = count > 0 ? count : Infinity;
  let shown = 0;
  try {
    while (shown < max) {
      const h = await stream.next();
      if (!h) break;
      if (h.record) s.sawKeys(h.record.attrs);
      s.row(s.settings.output === "json" ? hitJson(h) : hitLine(h, stream.terms, s.style));
      shown++;
    }
  } catch (err) {
    s.closeStream();
    if (signal.aborted || isCancel(err)) {
      s.note(`--- Cancelled after ${shown} records ---`);
      return false;
    }
    return s.fail(`${errorPrefix}: ${rpcMessage(err)}`);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  for (const w of stream.warnings.splice(0)) s.note(`Warning: ${w}`);
  if (stream.exhausted()) {
    s.note(shown > 0 ? `--- ${shown} records (end of results) ---` : "No more results.");
    s.closeStream();
  } else {
    s.note(`--- ${shown} records shown. Use 'next' for more. ---`);
  }
  return true;
}
