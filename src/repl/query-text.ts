/**
 * Checks query text with QueryService.ValidateQuery before running it, so parse errors are
 * reported once, before any stream opens, and the canonical expression is known for the
 * prompt and for highlighting.
 */

import { rpcMessage } from "./client.ts";
import { highlightTerms } from "./render/highlight.ts";
import type { Session } from "./session.ts";

export interface CheckedQuery {
  text: string;
  /** Canonical filter ("" when the text has none). */
  expression: string;
  terms: string[];
  /** The pipeline makes a table: run it with Aggregate. */
  table: boolean;
}

/** The message with its first letter capitalised ("parse error at ..." -> "Parse error at ..."). */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** Validates `text`; prints the error and returns undefined when it is not a valid query. */
export async function checkQuery(s: Session, text: string, signal: AbortSignal): Promise<CheckedQuery | undefined> {
  try {
    const v = await s.client.query.validateQuery({ text }, { signal });
    return { text, expression: v.expression, terms: highlightTerms(v.expression), table: v.table };
  } catch (err) {
    s.fail(sentence(rpcMessage(err)));
    return undefined;
  }
}
