/** The prompt: `[store] > `, or `[store|desc] > ` while a query stream is open. */

import type { Session } from "./session.ts";

/** Longest query description shown whole; longer ones keep 27 characters and `...`. */
const DESC_MAX = 30;
const DESC_KEEP = 27;

export function promptText(s: Session): string {
  const d = s.stream?.desc;
  if (d === undefined) return `[${s.store}] > `;
  return `[${s.store}|${d.length > DESC_MAX ? `${d.slice(0, DESC_KEEP)}...` : d}] > `;
}
