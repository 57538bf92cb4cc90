/**
 * Byte tests the seal readers (clf-pairs.ts, syslog-pairs.ts) share to match their walkers'
 * patterns on ASCII bytes, and the field ranges they fill. Pure.
 */

/** JavaScript's `\s` for ASCII: tab, newline, vertical tab, form feed, carriage return, space. */
export function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/** `\d`; false for -1 (past the end). */
export function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** The end of the run of non-space bytes of `data` at `i`, at most `end`. */
export function wordEnd(data: Uint8Array, i: number, end: number): number {
  while (i < end && !isSpace(data[i]!)) i++;
  return i;
}

/** The byte ranges of a line's fields: field f is [from[f], to[f]), from[f] = -1 when absent. */
export class FieldRanges {
  readonly from: Int32Array;
  readonly to: Int32Array;

  constructor(count: number) {
    this.from = new Int32Array(count);
    this.to = new Int32Array(count);
  }

  set(field: number, from: number, to: number): void {
    this.from[field] = from;
    this.to[field] = to;
  }
}
