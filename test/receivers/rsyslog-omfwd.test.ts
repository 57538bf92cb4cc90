/**
 * Syslog receiver against rsyslog's omfwd: UDP traditional format, TCP octet-counted RFC 5424
 * (rsyslog counts the trailing LF) and TCP LF-framed forward format, all into one receiver.
 */

import { expect, test } from "bun:test";
import { haveRsyslog, startRsyslog } from "./rsyslog.ts";
import { simplify, startHarness } from "./support.ts";

test.skipIf(!haveRsyslog())("rsyslog omfwd over UDP, TCP octet-counted and TCP LF (needs rsyslog)", async () => {
  await using h = await startHarness({ type: "syslog", listen: ["udp://127.0.0.1:0", "tcp://127.0.0.1:0"] });
  const udp = h.port("udp");
  const tcp = h.port("tcp");
  await using rs = await startRsyslog(
    [
      `action(type="omfwd" target="127.0.0.1" port="${udp}" protocol="udp" template="RSYSLOG_TraditionalForwardFormat")`,
      `action(type="omfwd" target="127.0.0.1" port="${tcp}" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")`,
      `action(type="omfwd" target="127.0.0.1" port="${tcp}" protocol="tcp" template="RSYSLOG_ForwardFormat")`,
    ].join("\n"),
  );
  rs.send(["first message via rsyslog", "second, with [brackets] and unicode é"]);
  await h.appender.waitFor(6);
  const got = simplify(h.records())
    .map((r) => ({ text: /(first message via rsyslog|second, with .*)$/.exec(r.raw)?.[1], app: r.attrs.app_name, sev: r.attrs.severity_name, format: /^<\d+>1 /.test(r.raw) ? "5424" : "3164", ts: r.sourceTs > 0, err: r.attrs.parse_error ?? "" }))
    .sort((a, b) => (a.text + a.format < b.text + b.format ? -1 : 1));
  const row = (text: string, format: string) => ({ text, app: "relptest", sev: "notice", format, ts: true, err: "" });
  expect(got).toEqual([
    row("first message via rsyslog", "3164"),
    row("first message via rsyslog", "3164"),
    row("first message via rsyslog", "5424"),
    row("second, with [brackets] and unicode é", "3164"),
    row("second, with [brackets] and unicode é", "3164"),
    row("second, with [brackets] and unicode é", "5424"),
  ]);
  await h.pipeline.drain();
  expect({ stored: h.receiver.stats().stored, parseErrors: h.receiver.stats().parseErrors, dropped: h.receiver.stats().dropped }).toEqual({ stored: 6, parseErrors: 0, dropped: {} });
});
