/**
 * Styling shared by the renderers: a picocolors palette that is a no-op when colour is off
 * (NO_COLOR, non-TTY), level colours, and escaping of terminal control bytes in log text.
 */

import pc from "picocolors";
import type { Colors, Formatter } from "picocolors/types";

/** Colours (or none) plus whether text goes to a terminal (control bytes then escaped). */
export interface Style {
  c: Colors;
  tty: boolean;
}

/** A style for a terminal with colour, a terminal without, or a pipe/file. */
export function makeStyle(color: boolean, tty: boolean): Style {
  return { c: pc.createColors(color), tty };
}

/** Plain text: no colour, no escaping (tests, pipes). */
export const PLAIN: Style = makeStyle(false, false);

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

// Control bytes (C0 except tab, DEL, C1) could move the cursor or recolour the terminal.
const CONTROL_RE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

/** `text` with control characters shown as `\xNN` (for terminals only). */
export function escapeControls(text: string): string {
  return text.replace(CONTROL_RE, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
