/**
 * Turns one framed syslog message into a record: raw is the message as sent (without
 * framing), attrs carry the parsed header (facility, severity, hostname, app_name, proc_id,
 * msg_id, structured data as `sd.<SD-ID>.<PARAM>`), the receiver id and remote address;
 * sourceTs is the header timestamp. Unparseable messages are stored raw with `parse_error`.
 * Shared by the syslog and RELP receivers.
 */

import type { Rfc3164Context } from "../../parse/rfc3164.ts";
import { parseSyslog } from "../../parse/syslog.ts";
import { emptySyslogMessage, FACILITY_NAMES, SEVERITY_NAMES, SMALL_INTS, type SdParam } from "../../parse/syslog-message.ts";
import type { ReceiverCounters } from "../../pipeline/counters.ts";
import type { IngestPipeline } from "../../pipeline/pipeline.ts";

/** Attr set on records that fit no syslog grammar (value: the reason). */
export const PARSE_ERROR_ATTR = "parse_error";

const DAY_MICROS = 86_400_000_000;

/** Parses messages and pushes them into the pipeline for one receiver. */
export class SyslogRecords {
  private readonly m = emptySyslogMessage();
  private readonly ctx: Rfc3164Context;
  private ctxRefreshedAt = 0;
  /** The `sd.<id>.<name>` key last built for each SD position, reused while id and name repeat. */
  private readonly sdKeys: SdParam[] = [];

  constructor(
    private readonly receiver: string,
    private readonly counters: ReceiverCounters,
    private readonly pipeline: IngestPipeline,
    tzOffsetMinutes: number,
  ) {
    this.ctx = { year: 1970, notAfter: 0, tzOffsetMinutes };
  }

  /** Keeps the year and the future bound of year-less timestamps current; call per chunk. */
  refresh(now: number): void {
    if (now - this.ctxRefreshedAt < 1_000_000) return;
    this.ctxRefreshedAt = now;
    this.ctx.year = new Date(now / 1000).getUTCFullYear();
    this.ctx.notAfter = now + DAY_MICROS;
  }

  /** Parses `buf[start, end)` and queues it; returns its pipeline sequence number. */
  add(buf: Uint8Array, start: number, end: number, remoteIp: string, ingestTs: number, extra?: Record<string, string>): number {
    const m = this.m;
    parseSyslog(buf, start, end, this.ctx, m);
    const attrs: Record<string, string> = { receiver: this.receiver, remote_ip: remoteIp };
    if (m.pri >= 0) {
      attrs.facility = SMALL_INTS[m.pri >> 3]!;
      attrs.facility_name = FACILITY_NAMES[m.pri >> 3]!;
      attrs.severity = SMALL_INTS[m.pri & 7]!;
      attrs.severity_name = SEVERITY_NAMES[m.pri & 7]!;
    }
    if (m.hostname !== "") attrs.hostname = m.hostname;
    if (m.appName !== "") attrs.app_name = m.appName;
    if (m.procId !== "") attrs.proc_id = m.procId;
    if (m.msgId !== "") attrs.msg_id = m.msgId;
    const sd = m.sd;
    for (let k = 0; k < sd.length; k++) {
      const p = sd[k]!;
      const key = this.sdKey(k, p);
      const prev = attrs[key];
      attrs[key] = prev === undefined ? p.value : `${prev},${p.value}`;
    }
    if (m.error !== "") {
      attrs[PARSE_ERROR_ATTR] = m.error;
      this.counters.parseErrors++;
    }
    if (extra) Object.assign(attrs, extra);
    return this.pipeline.push({ raw: buf.subarray(start, end), attrs, sourceTs: m.ts, ingestTs }, this.counters);
  }

  /** `sd.<id>.<name>` (`sd.<id>` for an element without params) for the SD param at position k. */
  private sdKey(k: number, p: SdParam): string {
    const c = this.sdKeys[k];
    if (c !== undefined && c.id === p.id && c.name === p.name) return c.value;
    const key = p.name === "" ? `sd.${p.id}` : `sd.${p.id}.${p.name}`;
    this.sdKeys[k] = { id: p.id, name: p.name, value: key };
    return key;
  }
}
