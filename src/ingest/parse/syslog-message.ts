/**
 * The parsed form of one syslog message (RFC 5424 or RFC 3164), shared by both parsers and
 * the receivers, plus the facility/severity name tables. Parsers fill a reused scratch object;
 * pure data, no I/O.
 */

/** Which grammar a message matched. "none": neither (stored raw with a parse error). */
export type SyslogFormat = "rfc5424" | "rfc3164" | "none";

/** One structured-data parameter (RFC 5424 §6.3), values unescaped. */
export interface SdParam {
  id: string;
  name: string;
  value: string;
}

/** Fields of one message. Strings are "" when absent or NILVALUE (`-`). */
export interface SyslogMessage {
  format: SyslogFormat;
  /** PRIVAL 0..191, or -1 when the message had none. */
  pri: number;
  /** RFC 5424 VERSION, 0 for RFC 3164. */
  version: number;
  /** Epoch µs of the header timestamp, 0 when absent. */
  ts: number;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  sd: SdParam[];
  /** Byte offset where MSG starts (after a UTF-8 BOM when one was present). */
  msgStart: number;
  /** RFC 5424 MSG began with a UTF-8 BOM. */
  bom: boolean;
  /** Why the message is not valid syslog ("" when it is); set for format "none" and fallbacks. */
  error: string;
  errorPos: number;
}

/** A fresh message object (parsers reset it on every call). */
export function emptySyslogMessage(): SyslogMessage {
  return { format: "none", pri: -1, version: 0, ts: 0, hostname: "", appName: "", procId: "", msgId: "", sd: [], msgStart: 0, bom: false, error: "", errorPos: 0 };
}

/** Clears `m` for the next message starting at `start`. */
export function resetSyslogMessage(m: SyslogMessage, start: number): void {
  m.format = "none";
  m.pri = -1;
  m.version = 0;
  m.ts = 0;
  m.hostname = m.appName = m.procId = m.msgId = m.error = "";
  if (m.sd.length > 0) m.sd = [];
  m.msgStart = start;
  m.bom = false;
  m.errorPos = 0;
}

/** RFC 5424 §6.2.1 facility keywords, index = facility code. */
export const FACILITY_NAMES: readonly string[] = [
  "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
  "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5",
  "local6", "local7",
];

/** Severity keywords, index = severity code. */
export const SEVERITY_NAMES: readonly string[] = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

/** Decimal strings 0..191 (facility, severity and PRI attrs without per-record formatting). */
export const SMALL_INTS: readonly string[] = Array.from({ length: 192 }, (_, i) => String(i));
