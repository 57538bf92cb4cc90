/**
 * Syslog auto-detection: RFC 5424 when the message starts `<PRI>VERSION SP`, else RFC 3164.
 * A message that looks like RFC 5424 but breaks its grammar keeps its header when that was
 * valid (broken SD), else what the lenient RFC 3164 parser finds, and carries the 5424 error; bytes with neither PRI nor timestamp are format
 * "none" with an error. Callers store every message; `error` only becomes an attr.
 */

import { parseRfc3164, type Rfc3164Context } from "./rfc3164.ts";
import { parseRfc5424, readPri } from "./rfc5424.ts";
import type { SyslogMessage } from "./syslog-message.ts";

const priEnd = { at: 0 };

/** True when `buf[start, end)` starts like RFC 5424: `<PRI>` then 1-3 digits (first non-zero) and SP. */
export function looksLikeRfc5424(buf: Uint8Array, start: number, end: number): boolean {
  if (readPri(buf, start, end, priEnd) < 0) return false;
  let i = priEnd.at;
  if (i >= end || buf[i]! < 0x31 || buf[i]! > 0x39) return false;
  const v0 = i;
  while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
  return i - v0 <= 3 && i < end && buf[i] === 0x20;
}

/** Parses one syslog message (no framing) into `m`; never throws on any input. */
export function parseSyslog(buf: Uint8Array, start: number, end: number, ctx: Rfc3164Context, m: SyslogMessage): void {
  if (looksLikeRfc5424(buf, start, end)) {
    if (parseRfc5424(buf, start, end, m) || m.format === "rfc5424") return;
    const error = m.error;
    const errorPos = m.errorPos;
    parseRfc3164(buf, start, end, ctx, m);
    m.error = error;
    m.errorPos = errorPos;
    return;
  }
  if (!parseRfc3164(buf, start, end, ctx, m)) {
    m.error = "not syslog: neither an RFC 5424 nor an RFC 3164 header";
    m.errorPos = start;
  }
}
