/**
 * Syslog header fields inside a line (as imported or tailed files hold them, not only from
 * receivers): RFC 5424 `<PRI>1 TIMESTAMP HOST APP PROCID MSGID ...` and RFC 3164
 * `[<PRI>]Mmm dd hh:mm:ss HOST TAG[PID]: ...` (or an RFC 3339 timestamp there, as rsyslog
 * writes). Fields: `facility`, `severity` (numbers from PRI) with `facility_name`,
 * `severity_name`, `hostname`, `app`, `pid`, `msgid`; `-` (nil) is absent. Pure.
 */

import { NO_FIELDS, verbatim, type FieldVisitor, type FieldWalk, type FormatFields } from "./field-walk.ts";

const RFC5424 = /^<(\d{1,3})>[1-9]\d{0,2} (\S+) (\S+) (\S+) (\S+) (\S+)(?: |$)/;
const RFC3164 = /^(?:<(\d{1,3})>)?(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) (\S+) ([^\s[:]+)(?:\[([^\]\s]+)\])?: /;

/** Facility names by number (PRI >> 3). */
export const FACILITIES = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"];
/** Severity names by number (PRI & 7). */
export const SEVERITIES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

/** Field names whose values come from PRI (never written in the line as such; a PRI starts with "<"). */
const DERIVED = new Set(["facility", "severity", "facility_name", "severity_name"]);
const KEYS = new Set([...DERIVED, "hostname", "app", "pid", "msgid"]);

function visitPri(pri: string | undefined, visit: FieldVisitor): boolean {
  if (pri === undefined) return false;
  const n = Number(pri);
  if (n > 191) return false;
  const facility = n >> 3;
  const severity = n & 7;
  return visit("facility", String(facility)) === true || visit("severity", String(severity)) === true || visit("facility_name", FACILITIES[facility]!) === true || visit("severity_name", SEVERITIES[severity]!) === true;
}

function visitAll(pairs: Array<[string, string | undefined]>, visit: FieldVisitor): boolean {
  for (const [k, v] of pairs) if (v !== undefined && v !== "-" && visit(k, v) === true) return true;
  return false;
}

/** Cheap test of the first bytes: `<` (PRI), `Mmm ` (RFC 3164 date) or `dddd-dd-ddT` (RFC 3339). */
function mayBeSyslog(data: Uint8Array, at: number): boolean {
  const b = data[at]!;
  if (b === 0x3c) return true;
  if (b >= 0x41 && b <= 0x5a) return data[at + 3] === 0x20;
  return b >= 0x30 && b <= 0x39 && data[at + 4] === 0x2d && data[at + 10] === 0x54;
}

export function walkSyslogFields(data: Uint8Array, start: number, end: number, visit: FieldVisitor): FieldWalk {
  if (end - start < 16 || !mayBeSyslog(data, start)) return NO_FIELDS;
  const head = Buffer.from(data.buffer, data.byteOffset + start, Math.min(end - start, 512)).toString("utf8");
  const m5 = RFC5424.exec(head);
  if (m5 !== null) {
    const stopped = visitPri(m5[1], visit) || visitAll([["hostname", m5[3]], ["app", m5[4]], ["pid", m5[5]], ["msgid", m5[6]]], visit);
    return { stopped, truncated: false };
  }
  const m3 = RFC3164.exec(head);
  if (m3 === null) return NO_FIELDS;
  return { stopped: visitPri(m3[1], visit) || visitAll([["hostname", m3[2]], ["app", m3[3]], ["pid", m3[4]]], visit), truncated: false };
}

export const syslogFormat: FormatFields = {
  name: "syslog",
  title: "syslog field",
  walk: walkSyslogFields,
  needles(key, value) {
    if (key !== "" && !KEYS.has(key)) return [];
    if (DERIVED.has(key)) return ["<"];
    return verbatim(value) ? [value, "<"] : undefined;
  },
};
