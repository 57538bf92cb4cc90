/**
 * RFC 3339 timestamps with up to nine fraction digits, as container runtimes write them
 * (Docker json-file `time`, Docker API `timestamps=1` prefixes, CRI log lines):
 * `2026-11-26T20:49:52.54424937Z`, `…52.544249370Z`, `…52Z`, `…52.5+02:00`. Returns epoch µs
 * and keeps the sub-microsecond nanoseconds apart (a number cannot hold epoch ns exactly),
 * so positions can be resumed with Docker's nanosecond `since`. Pure, allocation-free.
 */

import { civilMicros, d2, digits } from "./ts-scan.ts";

/** Written by parseRfc3339Nano: nanoseconds below the µs, and where the timestamp ended. */
export interface NanoTail {
  ns: number;
  end: number;
}

const T = 0x54;
const Z = 0x5a;
const DOT = 0x2e;

/** Epoch µs of the timestamp at buf[i, end), or -1 when there is none; fills `out`. */
export function parseRfc3339Nano(buf: Uint8Array, i: number, end: number, out: NanoTail): number {
  const y = digits(buf, i, 4, end);
  const mo = d2(buf, i + 5, end);
  const d = d2(buf, i + 8, end);
  const h = d2(buf, i + 11, end);
  const mi = d2(buf, i + 14, end);
  const s = d2(buf, i + 17, end);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || buf[i + 10] !== T || h > 23 || mi > 59 || s > 60) return -1;
  let base = civilMicros(y, mo, d, h * 3600 + mi * 60 + s);
  if (base < 0) return -1;
  let j = i + 19;
  let ns = 0;
  if (j < end && buf[j] === DOT) {
    let n = 0;
    for (j++; j < end && n < 9; j++, n++) {
      const c = buf[j]! - 0x30;
      if (c >>> 0 > 9) break;
      ns = ns * 10 + c;
    }
    if (n === 0) return -1;
    for (; n < 9; n++) ns *= 10;
  }
  if (j >= end) return -1;
  if (buf[j] === Z) j++;
  else if (buf[j] === 0x2b || buf[j] === 0x2d) {
    const zh = d2(buf, j + 1, end);
    const zm = d2(buf, j + 4, end);
    if (zh < 0 || zm < 0 || buf[j + 3] !== 0x3a) return -1;
    const off = (zh * 60 + zm) * 60_000_000;
    base += buf[j] === 0x2b ? -off : off;
    j += 6;
  } else return -1;
  out.ns = ns % 1000;
  out.end = j;
  return base + Math.floor(ns / 1000);
}

/** Docker's `since` value (`seconds.nanoseconds`) for a µs time and its sub-µs nanoseconds. */
export function dockerSince(us: number, ns: number): string {
  const sec = Math.floor(us / 1_000_000);
  const nanos = (us - sec * 1_000_000) * 1000 + ns;
  return `${sec}.${String(nanos).padStart(9, "0")}`;
}
