/**
 * systemd's Journal Export Format (`journalctl -o export`, systemd-journal-upload's body),
 * parsed as a stream: entries are runs of fields ended by an empty line; a field is
 * `NAME=value\n`, or binary-safe `NAME\n` + little-endian u64 length + bytes + `\n`.
 * An entry becomes a record: MESSAGE -> raw (bytes as they are), __REALTIME_TIMESTAMP ->
 * sourceTs, PRIORITY -> `level`, every other field -> an attr of its name (non-UTF-8 values as
 * `base64:...`); the address fields __CURSOR, __MONOTONIC_TIMESTAMP, __SEQNUM and
 * __SEQNUM_ID describe the transport, not the entry, and are left out. Pure.
 */

import { concatBytes } from "../../core/bytes/concat.ts";
import { LogError } from "../../core/errors.ts";
import type { Attrs } from "../../core/record.ts";

/** One journal entry: field names and raw values, in order. */
export type JournalEntry = [string, Uint8Array][];

const LF = 0x0a;
const EQ = 0x3d;
/** Longest field name accepted (systemd allows 64). */
const MAX_NAME = 256;
/** Largest binary field accepted (longer input is malformed, not an allocation). */
const MAX_FIELD = 64 << 20;

const latin = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8", { fatal: true });

export class JournalExportParser {
  private carry: Uint8Array | undefined;
  private fields: JournalEntry = [];

  /** Parses `chunk`, calling `entry` for each complete entry. Throws LogError on garbage. */
  push(chunk: Uint8Array, entry: (e: JournalEntry) => void): void {
    const buf = this.carry ? concatBytes([this.carry, chunk]) : chunk;
    this.carry = undefined;
    let pos = 0;
    while (pos < buf.length) {
      if (buf[pos] === LF) {
        pos++;
        this.done(entry);
        continue;
      }
      const nl = buf.indexOf(LF, pos);
      if (nl < 0) break;
      const eq = buf.indexOf(EQ, pos);
      if (eq >= 0 && eq < nl) {
        this.fields.push([name(buf, pos, eq), buf.slice(eq + 1, nl)]);
        pos = nl + 1;
        continue;
      }
      const n = name(buf, pos, nl);
      if (buf.length < nl + 9) break;
      const len = Number(new DataView(buf.buffer, buf.byteOffset + nl + 1, 8).getBigUint64(0, true));
      if (len > MAX_FIELD) throw new LogError("invalid_argument", `journal export: binary field ${n} of ${len} bytes is too long`);
      const end = nl + 9 + len;
      if (buf.length < end + 1) break;
      if (buf[end] !== LF) throw new LogError("invalid_argument", `journal export: binary field ${n} is not followed by a newline`);
      this.fields.push([n, buf.slice(nl + 9, end)]);
      pos = end + 1;
    }
    if (pos < buf.length) {
      if (buf.length - pos > MAX_FIELD + MAX_NAME + 16) throw new LogError("invalid_argument", "journal export: a field is too long");
      this.carry = buf.slice(pos);
    }
  }

  /** End of input: an entry not closed by an empty line is complete too. */
  end(entry: (e: JournalEntry) => void): void {
    if (this.carry) throw new LogError("invalid_argument", "journal export: input ends inside a field");
    this.done(entry);
  }

  private done(entry: (e: JournalEntry) => void): void {
    if (this.fields.length === 0) return;
    const e = this.fields;
    this.fields = [];
    entry(e);
  }
}

function name(buf: Uint8Array, start: number, end: number): string {
  if (end === start || end - start > MAX_NAME) throw new LogError("invalid_argument", `journal export: bad field name at byte ${start}`);
  return latin.decode(buf.subarray(start, end));
}

/** syslog priority -> level attr. */
export const PRIORITY_LEVELS = ["emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"] as const;

const SKIPPED = new Set(["MESSAGE", "__CURSOR", "__REALTIME_TIMESTAMP", "__MONOTONIC_TIMESTAMP", "__SEQNUM", "__SEQNUM_ID"]);
const EMPTY: Uint8Array = new Uint8Array(0);

/** An entry as record parts (see the header). */
export function journalRecord(e: JournalEntry, base: Attrs): { raw: Uint8Array; attrs: Attrs; sourceTs: number } {
  const attrs: Record<string, string> = { ...base };
  let raw = EMPTY;
  let sourceTs = 0;
  for (const [k, v] of e) {
    if (k === "MESSAGE") raw = v;
    else if (k === "__REALTIME_TIMESTAMP") sourceTs = Number(latin.decode(v)) || 0;
    if (SKIPPED.has(k)) continue;
    const text = value(v);
    attrs[k] = text;
    if (k === "PRIORITY") {
      const p = Number(text);
      if (Number.isInteger(p) && p >= 0 && p <= 7) attrs.level = PRIORITY_LEVELS[p]!;
    }
  }
  return { raw, attrs, sourceTs };
}

/** The entry's __CURSOR, or "" when it has none. */
export function journalCursor(e: JournalEntry): string {
  for (const [k, v] of e) if (k === "__CURSOR") return latin.decode(v);
  return "";
}

function value(v: Uint8Array): string {
  try {
    return utf8.decode(v);
  } catch {
    return `base64:${Buffer.from(v).toString("base64")}`;
  }
}
