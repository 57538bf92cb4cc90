/**
 * RELP receiver against rsyslog's omrelp: a plain session, and the receiver killed mid-stream
 * (connections cut, then restarted on the same port): omrelp resends what it had not seen
 * acknowledged, nothing is lost, and every duplicate on disk is counted.
 */

import { expect, test } from "bun:test";
import type { RecordInput } from "../../src/core/record.ts";
import { haveOmrelp, haveRsyslog, startRsyslog } from "./rsyslog.ts";
import { freePort, startHarness } from "./support.ts";

const can = haveRsyslog() && haveOmrelp();
const dec = new TextDecoder();
const omrelp = (port: number) =>
  `module(load="omrelp")\naction(type="omrelp" target="127.0.0.1" port="${port}" template="RSYSLOG_SyslogProtocol23Format" action.resumeRetryCount="-1" action.resumeInterval="1")`;

test.skipIf(!can)("rsyslog omrelp session: every message stored and acked (needs rsyslog, rsyslog-relp)", async () => {
  await using h = await startHarness({ type: "relp", listen: ["tcp://127.0.0.1:0"] });
  await using rs = await startRsyslog(omrelp(h.port("tcp")));
  rs.send(Array.from({ length: 50 }, (_, i) => `relp message ${i}`));
  await h.appender.waitFor(50);
  await h.pipeline.drain();
  const texts = h.records().map((r) => /relp message \d+$/.exec(dec.decode(r.raw))?.[0]);
  expect(texts).toEqual(Array.from({ length: 50 }, (_, i) => `relp message ${i}`));
  expect(h.records()[0]!.attrs).toMatchObject({ receiver: "r1", app_name: "relptest", facility_name: "user", severity_name: "notice", remote_ip: "127.0.0.1" });
  const s = h.receiver.stats();
  expect({ stored: s.stored, parseErrors: s.parseErrors, duplicates: s.duplicates }).toEqual({ stored: 50, parseErrors: 0, duplicates: 0 });
});

test.skipIf(!can)("receiver killed mid-stream: omrelp resends, nothing lost, duplicates counted (needs rsyslog, rsyslog-relp)", async () => {
  const N = 3000;
  const port = freePort();
  const seen = new Map<number, number>();
  const killAt = N / 3;
  let killed: Promise<void> | undefined;
  await using h = await startHarness({ type: "relp", listen: [`tcp://127.0.0.1:${port}`] });
  const t0 = performance.now();
  let killedAt = 0;
  h.appender.onBatch = (rs: RecordInput[]) => {
    for (const r of rs) {
      const m = /seq=(\d+)/.exec(dec.decode(r.raw));
      if (m) seen.set(Number(m[1]), (seen.get(Number(m[1])) ?? 0) + 1);
    }
    if (killed === undefined && h.appender.appended >= killAt) {
      killedAt = performance.now() - t0;
      killed = h.receiver.stop().then(() => h.receiver.start());
    }
  };
  await using rs = await startRsyslog(omrelp(port));
  rs.send(Array.from({ length: N }, (_, i) => `seq=${String(i).padStart(6, "0")}`));
  await h.appender.waitUntil(() => seen.size === N, 25_000, `all ${N} sequence numbers`);
  console.log(`killed at ${killedAt.toFixed(0)} ms, complete at ${(performance.now() - t0).toFixed(0)} ms`);
  await killed;
  await h.pipeline.drain();
  const missing = Array.from({ length: N }, (_, i) => i).filter((i) => !seen.has(i));
  const onDisk = [...seen.values()].reduce((a, b) => a + b, 0);
  const s = h.receiver.stats();
  expect({ missing, state: s.state, restartedOnce: killed !== undefined }).toEqual({ missing: [], state: "running", restartedOnce: true });
  expect({ duplicatesCounted: s.duplicates, recordsOnDisk: onDisk }).toEqual({ duplicatesCounted: onDisk - N, recordsOnDisk: N + s.duplicates });
  console.log(`omrelp kill test: ${N} messages, ${onDisk - N} resent duplicates stored and counted`);
}, 30_000);
