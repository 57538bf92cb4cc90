/**
 * Lenient RFC 3164 ("BSD syslog") parser on bytes, modelled on rsyslog's legacy parser so the
 * rsyslog parse1 vectors hold: `<PRI>` (optional; default 13 = user.notice), spaces, a
 * timestamp (`Mmm dd hh:mm:ss`, `Mmm dd yyyy hh:mm:ss`, or RFC 3339), an optional ':', then
 * HOSTNAME (a word of host characters not ending in ':'), then TAG (up to SP or through ':'),
 * with APP-NAME = TAG up to '[' or ':' and PROCID inside `[...]`. MSG starts right after TAG.
 */

import { TextCache } from "../../core/bytes/text-cache.ts";
import { readPri } from "./rfc5424.ts";
import { resetSyslogMessage, type SyslogMessage } from "./syslog-message.ts";
import { isoDate, monthLed } from "./ts-formats.ts";
import { cursor } from "./ts-scan.ts";

/** What a year-less timestamp needs from outside the message. */
export interface Rfc3164Context {
  /** Year assumed for `Mmm dd hh:mm:ss`. */
  year: number;
  /** A year-less timestamp later than this (µs) is taken from the previous year. */
  notAfter: number;
  /** Offset of zone-less timestamps from UTC in minutes (east positive). */
  tzOffsetMinutes: number;
}

const SP = 0x20;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
/** Bytes allowed in a HOSTNAME word (letters, digits, . - _ and ':' for IPv6). */
const HOST = new Uint8Array(256);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:") HOST[c.charCodeAt(0)] = 1;

/** Hostname, app name and PROCID repeat from message to message: one string per distinct value. */
const fields = new TextCache();
const priEnd = { at: 0 };

/**
 * Parses `buf[start, end)` into `m`. Returns false when the bytes have neither a PRI nor a
 * recognisable timestamp (then they are not syslog at all and `m.format` stays "none").
 */
export function parseRfc3164(buf: Uint8Array, start: number, end: number, ctx: Rfc3164Context, m: SyslogMessage): boolean {
  resetSyslogMessage(m, end);
  let i = start;
  const pri = readPri(buf, i, end, priEnd);
  if (pri >= 0) i = priEnd.at;
  while (i < end && buf[i] === SP) i++;
  const ts = timestamp(buf, i, end, ctx);
  if (pri < 0 && ts <= 0) return false;
  m.format = "rfc3164";
  m.pri = pri >= 0 ? pri : 13;
  if (ts > 0) {
    m.ts = ts;
    i = cursor.pos;
    if (i < end && buf[i] === COLON) i++;
    if (i < end && buf[i] === SP) i++;
    i = hostname(buf, i, end, m);
  }
  tag(buf, i, end, m);
  return true;
}

function timestamp(buf: Uint8Array, i: number, end: number, ctx: Rfc3164Context): number {
  if (i >= end) return -1;
  const off = ctx.tzOffsetMinutes * 60_000_000;
  const b = buf[i]!;
  if (b >= 0x30 && b <= 0x39) return isoDate(buf, i, end, off);
  const us = monthLed(buf, i, end, ctx.year, off);
  if (us <= ctx.notAfter) return us;
  const pos = cursor.pos;
  const earlier = monthLed(buf, i, end, ctx.year - 1, off);
  if (earlier > 0 && earlier < us) return earlier;
  cursor.pos = pos;
  return us;
}

function hostname(buf: Uint8Array, i: number, end: number, m: SyslogMessage): number {
  let j = i;
  while (j < end && HOST[buf[j]!] === 1) j++;
  if (j === i || (j < end && buf[j] !== SP) || buf[j - 1] === COLON) return i;
  m.hostname = fields.text(buf, i, j);
  return j < end ? j + 1 : j;
}

function tag(buf: Uint8Array, i: number, end: number, m: SyslogMessage): void {
  let j = i;
  let nameEnd = -1;
  let pidStart = -1;
  let pidEnd = -1;
  while (j < end) {
    const b = buf[j]!;
    if (b === SP) break;
    if (b === COLON) {
      if (nameEnd < 0) nameEnd = j;
      j++;
      break;
    }
    if (b === LBRACKET && nameEnd < 0) {
      nameEnd = j;
      pidStart = j + 1;
    } else if (b === RBRACKET && pidStart >= 0 && pidEnd < 0) pidEnd = j;
    j++;
  }
  if (nameEnd < 0) nameEnd = j;
  if (nameEnd > i) m.appName = fields.text(buf, i, nameEnd);
  if (pidEnd > pidStart) m.procId = fields.text(buf, pidStart, pidEnd);
  m.msgStart = j;
}
