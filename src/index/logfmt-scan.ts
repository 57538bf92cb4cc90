/**
 * The strict logfmt pattern (logfmt-fields.ts) matched on the bytes of an ASCII line without a
 * backslash: the offsets of its pairs, none unless the whole line is pairs, and no string made.
 * A line that does not start with `key=` has no logfmt fields; a line this cannot read exactly
 * (non-ASCII bytes, escapes, too many pairs) is handed back ("walker") to the regex walker,
 * which stays the definition. Shared by the seal's pair reader and the query's field walk.
 */

/** "none": no logfmt fields; a pair count: read; "walker": run the logfmt walker instead. */
export type LogfmtScan = number | "none" | "walker";

/** Pairs read per line at most; a line with more goes to the walker. */
const MAX_PAIRS = 256;
const QUOTE = 0x22;

const KEY_START = 1;
const KEY_CHAR = 2;
/** JavaScript's `\s` in ASCII. */
const SPACE = 4;
const CLASS = new Uint8Array(256);
for (let c = 0x41; c <= 0x5a; c++) CLASS[c] = KEY_START | KEY_CHAR;
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = KEY_START | KEY_CHAR;
CLASS[0x5f] = KEY_START | KEY_CHAR;
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = KEY_CHAR;
CLASS[0x2e] = CLASS[0x2d] = KEY_CHAR;
for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) CLASS[c] = SPACE;

/** Reads one line; reused across lines. */
export class LogfmtScanner {
  /** Pair i of the last line read: key data[keyStart[i], keyEnd[i]), value data[valueStart[i], valueEnd[i]). */
  readonly keyStart = new Uint32Array(MAX_PAIRS);
  readonly keyEnd = new Uint32Array(MAX_PAIRS);
  readonly valueStart = new Uint32Array(MAX_PAIRS);
  readonly valueEnd = new Uint32Array(MAX_PAIRS);

  /** Reads the logfmt pairs of `data[start, end)` into the offset arrays, or says there are none or the walker must. */
  scan(data: Uint8Array, start: number, end: number): LogfmtScan {
    if (start >= end || (CLASS[data[start]!]! & KEY_START) === 0) return "none";
    let n = 0;
    let i = start;
    while (i < end) {
      const b = data[i]!;
      if (b === 0x20 || b === 0x09) {
        i++;
        continue;
      }
      if ((CLASS[b]! & KEY_START) === 0) return b >= 0x80 ? "walker" : "none";
      const ks = i;
      while (i < end && (CLASS[data[i]!]! & KEY_CHAR) !== 0) i++;
      if (i - ks > 64 || i >= end || data[i] !== 0x3d) return data[i]! >= 0x80 ? "walker" : "none";
      const ke = i;
      let vs = ++i;
      let ve: number;
      if (i < end && data[i] === QUOTE) {
        vs = ++i;
        while (i < end && data[i] !== QUOTE) {
          if (data[i] === 0x5c || data[i]! >= 0x80) return "walker";
          i++;
        }
        if (i >= end) return "none";
        ve = i++;
      } else {
        while (i < end && (CLASS[data[i]!]! & SPACE) === 0 && data[i] !== QUOTE) {
          if (data[i]! >= 0x80) return "walker";
          i++;
        }
        ve = i;
      }
      if (i < end && (CLASS[data[i]!]! & SPACE) === 0) return data[i]! >= 0x80 ? "walker" : "none";
      if (n === MAX_PAIRS) return "walker";
      this.keyStart[n] = ks;
      this.keyEnd[n] = ke;
      this.valueStart[n] = vs;
      this.valueEnd[n++] = ve;
    }
    return n;
  }
}
