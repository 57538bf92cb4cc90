/**
 * Strict RFC 5424 parser on bytes. Grammar (RFC 5424 §6):
 *   SYSLOG-MSG = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]
 *   PRI = "<" 0..191 ">" (no leading zeros); VERSION = 1-3 digits, first non-zero
 *   TIMESTAMP = "-" / YYYY-MM-DD "T" hh:mm:ss[.1-6 digits] ("Z" / ("+"|"-") hh:mm)
 *   header fields = "-" / 1*N PRINTUSASCII (HOSTNAME 255, APP-NAME 48, PROCID 128, MSGID 32)
 *   SD = "-" / 1*("[" SD-ID *(SP NAME "=" DQUOTE value DQUOTE) "]"), names 1-32 chars, unique ids,
 *   values escape only `"`, `\` and `]`. MSG is any bytes, an optional UTF-8 BOM is skipped.
 */

import { TextCache } from "../../core/bytes/text-cache.ts";
import { civilMicros, digits } from "./ts-scan.ts";
import { resetSyslogMessage, type SyslogMessage } from "./syslog-message.ts";

const SP = 0x20;
const LT = 0x3c;
const GT = 0x3e;
const DASH = 0x2d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;

/** 1 for PRINTUSASCII (33..126); 2 additionally marks bytes allowed in an SD-NAME. */
const PRINT = new Uint8Array(256);
for (let b = 33; b <= 126; b++) PRINT[b] = b === EQUALS || b === RBRACKET || b === QUOTE ? 1 : 2;

/**
 * Header fields, SD names and short SD values: repeated from message to message, so they are
 * interned (one string per distinct value, not one per message).
 */
const fields = new TextCache();

/** Reads `<PRI>` at `i`; returns PRIVAL, or -1. Leaves the end in `pos.at`. */
export function readPri(buf: Uint8Array, i: number, end: number, pos: { at: number }): number {
  if (i >= end || buf[i] !== LT) return -1;
  let v = 0;
  let j = i + 1;
  while (j < end && j < i + 5 && buf[j]! >= 0x30 && buf[j]! <= 0x39) v = v * 10 + buf[j++]! - 0x30;
  const n = j - i - 1;
  if (n === 0 || n > 3 || j >= end || buf[j] !== GT || v > 191 || (n > 1 && buf[i + 1] === 0x30)) return -1;
  pos.at = j + 1;
  return v;
}

class Fail {
  constructor(
    readonly pos: number,
    readonly detail: string,
  ) {}
}

/**
 * Parses `buf[start, end)` as RFC 5424 into `m`. Returns true when valid; otherwise false with
 * `m.error`/`m.errorPos` set. When the header through MSGID was valid and only the structured
 * data (or the SP before MSG) is broken, `m.format` is still "rfc5424" with the header fields
 * kept and MSG taken after the first `]` that ends the SD (as rsyslog does); else "none".
 */
export function parseRfc5424(buf: Uint8Array, start: number, end: number, m: SyslogMessage): boolean {
  resetSyslogMessage(m, end);
  sdAt.at = -1;
  try {
    parseInto(buf, start, end, m);
    m.format = "rfc5424";
    return true;
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    m.error = `invalid RFC 5424 at byte ${e.pos - start}: ${e.detail}`;
    m.errorPos = e.pos;
    if (sdAt.at >= 0) {
      m.format = "rfc5424";
      m.msgStart = skipBrokenSd(buf, sdAt.at, end);
    }
    return false;
  }
}

/** Where the SD of the message being parsed starts (-1 before the header is complete). */
const sdAt = { at: -1 };

/**
 * MSG start after a malformed SD: after a nil SD (and its SP), at the SD position when it is
 * neither nil nor `[`, else after the first `]` followed by SP or the end.
 */
function skipBrokenSd(buf: Uint8Array, i: number, end: number): number {
  if (i >= end) return end;
  if (buf[i] === DASH) return i + 1 < end && buf[i + 1] === SP ? i + 2 : i + 1;
  if (buf[i] !== LBRACKET) return i;
  for (let j = i; j < end; j++) {
    if (buf[j] !== RBRACKET) continue;
    if (j + 1 === end) return end;
    if (buf[j + 1] === SP) return j + 2;
  }
  return end;
}

function parseInto(buf: Uint8Array, start: number, end: number, m: SyslogMessage): void {
  const pos = { at: start };
  m.pri = readPri(buf, start, end, pos);
  if (m.pri < 0) throw new Fail(start, "expected <PRI> with a value 0..191");
  let i = pos.at;
  const v0 = i;
  while (i < end && i < v0 + 4 && buf[i]! >= 0x30 && buf[i]! <= 0x39) m.version = m.version * 10 + buf[i++]! - 0x30;
  if (i === v0 || i - v0 > 3 || buf[v0] === 0x30) throw new Fail(v0, "expected VERSION (1-3 digits, not starting with 0)");
  i = sp(buf, i, end, "VERSION");
  i = timestamp(buf, i, end, m);
  i = sp(buf, i, end, "TIMESTAMP");
  let f = field(buf, i, end, 255, "HOSTNAME");
  m.hostname = f === i + 1 && buf[i] === DASH ? "" : fields.text(buf, i, f);
  i = sp(buf, f, end, "HOSTNAME");
  f = field(buf, i, end, 48, "APP-NAME");
  m.appName = f === i + 1 && buf[i] === DASH ? "" : fields.text(buf, i, f);
  i = sp(buf, f, end, "APP-NAME");
  f = field(buf, i, end, 128, "PROCID");
  m.procId = f === i + 1 && buf[i] === DASH ? "" : fields.text(buf, i, f);
  i = sp(buf, f, end, "PROCID");
  f = field(buf, i, end, 32, "MSGID");
  m.msgId = f === i + 1 && buf[i] === DASH ? "" : fields.text(buf, i, f);
  i = sp(buf, f, end, "MSGID");
  sdAt.at = i;
  i = structuredData(buf, i, end, m);
  if (i === end) return;
  if (buf[i] !== SP) throw new Fail(i, "expected SP before MSG");
  i++;
  if (i + 3 <= end && buf[i] === 0xef && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) {
    m.bom = true;
    i += 3;
  }
  m.msgStart = i;
}

function sp(buf: Uint8Array, i: number, end: number, after: string): number {
  if (i >= end || buf[i] !== SP) throw new Fail(i, `expected SP after ${after}`);
  return i + 1;
}

/** End of a header field of 1..max PRINTUSASCII bytes starting at i. */
function field(buf: Uint8Array, i: number, end: number, max: number, name: string): number {
  let j = i;
  while (j < end && PRINT[buf[j]!] !== 0) j++;
  if (j === i) throw new Fail(i, `empty ${name}`);
  if (j - i > max) throw new Fail(i + max, `${name} longer than ${max} bytes`);
  return j;
}

function timestamp(buf: Uint8Array, i: number, end: number, m: SyslogMessage): number {
  if (buf[i] === DASH && (i + 1 >= end || buf[i + 1] === SP)) return i + 1;
  const y = digits(buf, i, 4, end);
  const mo = digits(buf, i + 5, 2, end);
  const d = digits(buf, i + 8, 2, end);
  if (y < 0 || mo < 0 || d < 0 || buf[i + 4] !== DASH || buf[i + 7] !== DASH) throw new Fail(i, "expected TIMESTAMP date YYYY-MM-DD");
  if (buf[i + 10] !== 0x54) throw new Fail(i + 10, "expected 'T' in TIMESTAMP");
  const h = digits(buf, i + 11, 2, end);
  const mi = digits(buf, i + 14, 2, end);
  const s = digits(buf, i + 17, 2, end);
  if (h < 0 || mi < 0 || s < 0 || buf[i + 13] !== 0x3a || buf[i + 16] !== 0x3a || h > 23 || mi > 59 || s > 59) {
    throw new Fail(i + 11, "expected TIMESTAMP time hh:mm:ss");
  }
  const wall = civilMicros(y, mo, d, h * 3600 + mi * 60 + s);
  if (wall < 0) throw new Fail(i, "invalid TIMESTAMP date");
  let j = i + 19;
  let frac = 0;
  if (j < end && buf[j] === 0x2e) {
    const f0 = ++j;
    while (j < end && buf[j]! >= 0x30 && buf[j]! <= 0x39) frac = frac * 10 + buf[j++]! - 0x30;
    if (j === f0 || j - f0 > 6) throw new Fail(f0, "TIMESTAMP fraction must have 1-6 digits");
    for (let k = j - f0; k < 6; k++) frac *= 10;
  }
  let off = 0;
  if (buf[j] === 0x5a) j++;
  else if (buf[j] === 0x2b || buf[j] === DASH) {
    const oh = digits(buf, j + 1, 2, end);
    const om = digits(buf, j + 4, 2, end);
    if (oh < 0 || om < 0 || buf[j + 3] !== 0x3a || oh > 23 || om > 59) throw new Fail(j, "invalid TIME-OFFSET");
    off = (oh * 60 + om) * 60_000_000 * (buf[j] === DASH ? -1 : 1);
    j += 6;
  } else throw new Fail(j, "expected TIME-OFFSET ('Z' or +hh:mm)");
  m.ts = wall + frac - off;
  return j;
}

function structuredData(buf: Uint8Array, i: number, end: number, m: SyslogMessage): number {
  if (i >= end) throw new Fail(i, "expected STRUCTURED-DATA");
  if (buf[i] === DASH) return i + 1;
  if (buf[i] !== LBRACKET) throw new Fail(i, "expected STRUCTURED-DATA ('-' or '[')");
  const ids: string[] = [];
  while (i < end && buf[i] === LBRACKET) {
    let j = sdName(buf, i + 1, end, "SD-ID");
    const id = fields.text(buf, i + 1, j);
    if (ids.includes(id)) throw new Fail(i + 1, `duplicate SD-ID ${JSON.stringify(id)}`);
    ids.push(id);
    let params = 0;
    while (j < end && buf[j] === SP) {
      const n0 = j + 1;
      j = sdName(buf, n0, end, "PARAM-NAME");
      const name = fields.text(buf, n0, j);
      if (buf[j] !== EQUALS || buf[j + 1] !== QUOTE) throw new Fail(j, 'expected =" after PARAM-NAME');
      j = paramValue(buf, j + 2, end, id, name, m);
      params++;
    }
    if (j >= end || buf[j] !== RBRACKET) throw new Fail(j, "expected ']' closing SD-ELEMENT");
    if (params === 0) m.sd.push({ id, name: "", value: "" });
    i = j + 1;
  }
  return i;
}

function sdName(buf: Uint8Array, i: number, end: number, what: string): number {
  let j = i;
  while (j < end && PRINT[buf[j]!] === 2) j++;
  if (j === i) throw new Fail(i, `empty ${what}`);
  if (j - i > 32) throw new Fail(i + 32, `${what} longer than 32 bytes`);
  return j;
}

/** Reads a PARAM-VALUE starting after its opening quote; returns the index after the closing one. */
function paramValue(buf: Uint8Array, i: number, end: number, id: string, name: string, m: SyslogMessage): number {
  let j = i;
  let escapes = false;
  for (;;) {
    if (j >= end) throw new Fail(j, "unterminated PARAM-VALUE");
    const b = buf[j]!;
    if (b === QUOTE) break;
    if (b === RBRACKET) throw new Fail(j, "unescaped ']' in PARAM-VALUE");
    if (b === BACKSLASH) {
      const n = buf[j + 1];
      if (n !== QUOTE && n !== BACKSLASH && n !== RBRACKET) throw new Fail(j, "invalid escape in PARAM-VALUE");
      escapes = true;
      j += 2;
      continue;
    }
    j++;
  }
  let value = fields.text(buf, i, j);
  if (escapes) value = value.replace(/\\(["\\\]])/g, "$1");
  m.sd.push({ id, name, value });
  return j + 1;
}
