/**
 * Syslog receiver against util-linux `logger` (UDP and TCP, RFC 3164 and 5424, octet counting
 * and LF framing on one TCP port) into a real file store.
 */

import { expect, test } from "bun:test";
import type { LogRecord } from "../../src/core/record.ts";
import { nowMicros } from "../../src/core/time.ts";
import { hasCommand, run, simplify, startHarness } from "./support.ts";

const DAY = 86_400_000_000;

/** Replaces what varies per run: header timestamps, the host name, timeQuality values. */
function normalize(rs: LogRecord[], host: string) {
  const now = nowMicros();
  return simplify(rs).map((r) => {
    const attrs = { ...r.attrs };
    if (attrs.hostname === host) attrs.hostname = "HOST";
    if (attrs["sd.timeQuality.isSynced"] !== undefined) attrs["sd.timeQuality.isSynced"] = "X";
    delete attrs["sd.timeQuality.syncAccuracy"];
    const raw = r.raw
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d/, "TS")
      .replace(/^(<\d+>)[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d/, "$1TS")
      .replace(` ${host} `, " HOST ")
      .replace(/isSynced="\d"/, 'isSynced="X"')
      .replace(/ syncAccuracy="\d+"/, "");
    return { raw, attrs, recent: Math.abs(r.sourceTs - now) < DAY };
  });
}

test.skipIf(!hasCommand("logger"))("logger over UDP and TCP, 3164 and 5424, both framings (needs util-linux logger)", async () => {
  await using h = await startHarness({ type: "syslog", listen: ["udp://127.0.0.1:0", "tcp://127.0.0.1:0"] });
  const udp = String(h.port("udp"));
  const tcp = String(h.port("tcp"));
  const logger = (...args: string[]) => run(["logger", "--server", "127.0.0.1", ...args]);
  await logger("--port", udp, "--udp", "--rfc3164", "-t", "myapp", "-p", "local3.warning", "udp 3164 message");
  await h.appender.waitFor(1);
  await logger("--port", udp, "--udp", "--rfc5424", "--sd-id", "exampleSDID@32473", "--sd-param", 'iut="3"', "--msgid", "ID47", "-t", "app5424", "-p", "user.err", "udp 5424 message");
  await h.appender.waitFor(2);
  await logger("--port", tcp, "--tcp", "--octet-count", "--rfc5424", "-t", "octet", "counted one");
  await h.appender.waitFor(3);
  await run(["logger", "--server", "127.0.0.1", "--port", tcp, "--tcp", "--rfc3164", "-t", "lf", "-p", "daemon.info"], "line framed a\nline framed b\n");
  await h.appender.waitFor(5);
  const user = { receiver: "r1", hostname: "HOST", facility: "1", facility_name: "user" };
  const tq = { "sd.timeQuality.isSynced": "X", "sd.timeQuality.tzKnown": "1" };
  const daemon = { receiver: "r1", hostname: "HOST", facility: "3", facility_name: "daemon", severity: "6", severity_name: "info", app_name: "lf" };
  const host = (await run(["hostname"])).trim();
  expect(normalize(h.records(), host)).toEqual([
    {
      raw: "<156>TS HOST myapp: udp 3164 message",
      attrs: { receiver: "r1", hostname: "HOST", facility: "19", facility_name: "local3", severity: "4", severity_name: "warning", app_name: "myapp" },
      recent: true,
    },
    {
      raw: '<11>1 TS HOST app5424 - ID47 [timeQuality tzKnown="1" isSynced="X"][exampleSDID@32473 iut="3"] udp 5424 message',
      attrs: { ...user, ...tq, severity: "3", severity_name: "err", app_name: "app5424", msg_id: "ID47", "sd.exampleSDID@32473.iut": "3" },
      recent: true,
    },
    {
      raw: '<13>1 TS HOST octet - - [timeQuality tzKnown="1" isSynced="X"] counted one',
      attrs: { ...user, ...tq, severity: "5", severity_name: "notice", app_name: "octet" },
      recent: true,
    },
    { raw: "<30>TS HOST lf: line framed a", attrs: daemon, recent: true },
    { raw: "<30>TS HOST lf: line framed b", attrs: daemon, recent: true },
  ]);
  expect(h.records().map((r) => r.attrs.remote_ip)).toEqual(Array(5).fill("127.0.0.1"));
  await h.pipeline.drain();
  const s = h.receiver.stats();
  expect({ messages: s.messages, stored: s.stored, parseErrors: s.parseErrors, dropped: s.dropped, state: s.state }).toEqual({
    messages: 5,
    stored: 5,
    parseErrors: 0,
    dropped: {},
    state: "running",
  });
});
