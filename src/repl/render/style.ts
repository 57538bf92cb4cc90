/**
 * Styling shared by the renderers: a picocolors palette that is a no-op when colour is off
 * (NO_COLOR, non-TTY) and level colours. Log text is escaped by core/display.ts, always.
 */

import pc from "picocolors";
import type { Colors, Formatter } from "picocolors/types";

/** Colours (or none). */
export interface Style {
  c: Colors;
}

/** A style with colour (a terminal) or without (NO_COLOR, pipes, files). */
export function makeStyle(color: boolean): Style {
  return { c: pc.createColors(color) };
}

/** Plain text: no colour (tests, pipes). */
export const PLAIN: Style = makeStyle(false);

const LEVEL_RE = /\b(fatal|panic|emerg(?:ency)?|alert|crit(?:ical)?|err(?:or)?|warn(?:ing)?|notice|info|debug|trace)\b/i;

/** The colour of a log level word, or undefined when `word` is not a level. */
export function levelColor(c: Colors, word: string): Formatter | undefined {
  switch (word.toLowerCase().slice(0, 4)) {
    case "fata": case "pani": case "emer": case "aler": case "crit": case "err": case "erro":
      return (s) => c.bold(c.red(s));
    case "warn":
      return c.yellow;
    case "noti": case "info":
      return c.green;
    case "debu": case "trac":
      return c.blue;
    default:
      return undefined;
  }
}

/** The first level word in `text`: [start, end), or undefined. */
export function findLevel(text: string): [number, number] | undefined {
  const m = LEVEL_RE.exec(text);
  return m ? [m.index, m.index + m[0].length] : undefined;
}
