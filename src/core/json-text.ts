/**
 * JSON.parse keeping each number as the user wrote it: a number JavaScript would print
 * differently (`1.0` as `1`, `1e3` as `1000`, `-0` as `0`, `12345678901234567890` rounded) comes
 * back as its source text, a string; every other value is what JSON.parse gives. Fields and
 * attributes taken from JSON are text, so a stored `1.0` stays `1.0` and `x=1.0` finds it.
 * A text whose numbers all print as written (most) costs one extra pass over its characters
 * outside strings; the others are parsed again with those numbers quoted. Pure.
 */

/** Throws as JSON.parse does. */
export function parseJsonText(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const quoted = quoteRespelledNumbers(text);
  return quoted === undefined ? value : JSON.parse(quoted);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;

/**
 * The valid JSON `text` with each number JavaScript would print differently put in quotes (a
 * string of its source), or undefined when every number prints as written. Strings are
 * skipped natively (indexOf); outside them only structure, literals and numbers remain.
 */
export function quoteRespelledNumbers(text: string): string | undefined {
  const n = text.length;
  let out: string | undefined;
  let copied = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i) + 1;
      continue;
    }
    if (c !== MINUS && (c < 0x30 || c > 0x39)) {
      i++;
      continue;
    }
    const start = i;
    i = numberEnd(text, i + 1);
    if (printsAsWritten(text, start, i)) continue;
    out = `${out ?? ""}${text.slice(copied, start)}"${text.slice(start, i)}"`;
    copied = i;
  }
  return out === undefined ? undefined : out + text.slice(copied);
}

/** Index after the number characters (digits, `.`, `e`, `E`, `+`, `-`) from `i`. */
function numberEnd(text: string, i: number): number {
  for (; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (!((d >= 0x30 && d <= 0x39) || d === DOT || d === 0x65 || d === 0x45 || d === 0x2b || d === MINUS)) break;
  }
  return i;
}

/**
 * The number `text[start, end)` prints in JavaScript as written. Decided without converting
 * for what logs hold (json-pairs.ts applies the same rule to bytes): no exponent, at most 15
 * significant digits, no fraction ending in 0, not `-0`, and below 1 fewer than 6 zeros after
 * the point; anything else is converted and compared.
 */
function printsAsWritten(text: string, start: number, end: number): boolean {
  let i = text.charCodeAt(start) === MINUS ? start + 1 : start;
  const intStart = i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  let digits = intDigits;
  let simple = i === end || text.charCodeAt(i) === DOT;
  if (simple && i < end) {
    const fracStart = ++i;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
    simple = i === end && i > fracStart && text.charCodeAt(i - 1) !== ZERO;
    if (intDigits === 1 && text.charCodeAt(intStart) === ZERO) {
      let zeros = 0;
      while (text.charCodeAt(fracStart + zeros) === ZERO) zeros++;
      simple &&= zeros < 6;
      digits = i - fracStart - zeros;
    } else {
      digits += i - fracStart;
    }
  } else if (simple && intDigits === 1 && text.charCodeAt(intStart) === ZERO && intStart > start) {
    return false; // -0 prints as 0
  }
  if (simple && digits <= 15) return true;
  const source = text.slice(start, end);
  return String(Number(source)) === source;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Index of the quote closing the string opened at `open` (text.length - 1 when unclosed). */
function stringEnd(text: string, open: number): number {
  let q = open;
  for (;;) {
    q = text.indexOf('"', q + 1);
    if (q < 0) return text.length - 1;
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q;
  }
}
