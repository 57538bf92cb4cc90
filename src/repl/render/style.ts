/**
 * Styling shared by the renderers: the colours they use (picocolors when colour is on; plain
 * text for NO_COLOR, pipes and files) and level colours. Log text is escaped by
 * core/display.ts, always.
 */

/** Wraps text in a colour or attribute (identity when colour is off). */
export type Formatter = (text: string) => string;

/** The colours and attributes the renderers use. */
export interface Palette {
  isColorSupported: boolean;
  bold: Formatter;
  dim: Formatter;
  inverse: Formatter;
  red: Formatter;
  yellow: Formatter;
  green: Formatter;
  blue: Formatter;
  cyan: Formatter;
}

/** Colours (or none). */
export interface Style {
  c: Palette;
}

const plain: Formatter = (text) => text;
const NO_COLOR: Palette = { isColorSupported: false, bold: plain, dim: plain, inverse: plain, red: plain, yellow: plain, green: plain, blue: plain, cyan: plain };

/**
 * A style with colour (a terminal) or without. picocolors is loaded only for colour: loading
 * it reads process.stdout.isTTY, which builds Node's stdout stream (~10 ms at start).
 */
export function makeStyle(color: boolean): Style {
  return { c: color ? (require("picocolors") as typeof import("picocolors")).createColors(true) : NO_COLOR };
}

/** Plain text: no colour (tests, pipes). */
export const PLAIN: Style = makeStyle(false);

const LEVEL_RE = /\b(fatal|panic|emerg(?:ency)?|alert|crit(?:ical)?|err(?:or)?|warn(?:ing)?|notice|info|debug|trace)\b/i;

/** The colour of a log level word, or undefined when `word` is not a level. */
export function levelColor(c: Palette, word: string): Formatter | undefined {
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
