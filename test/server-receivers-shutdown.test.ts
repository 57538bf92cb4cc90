/**
 * SIGTERM while receivers have records in flight (compiled binary): every HTTP request answered
 * 200 under `X-Wait-Ack: true` is on disk after the shutdown; rsyslog omrelp sending through a
 * SIGTERM or a SIGKILL crash and a restart on the same port loses nothing (unacked messages
 * are resent; resent ones that were already stored show up as duplicates). Syslog TCP has no acks: what the kernel
 * buffered but the server never read is lost by protocol design (README "Receivers").
 */

import { expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";
import { until } from "./support/until.ts";
import { haveOmrelp, haveRsyslog, startRsyslog } from "./receivers/rsyslog.ts";
import { freePort } from "./receivers/support.ts";

const dec = new TextDecoder();

/** Raw text of every record in the default store. */
async function raws(s: ServeProc): Promise<string[]> {
  const out: string[] = [];
  for await (const m of createClient(QueryService, socketTransport(s.socket)).search({ query: {} })) for (const h of m.hits) out.push(dec.decode(h.record!.raw));
  return out;
}

async function stop(s: ServeProc): Promise<number> {
  s.proc.kill("SIGTERM");
  return s.exited;
}

test("SIGTERM during HTTP X-Wait-Ack traffic: every acknowledged record is durable", async () => {
  const { dir, cleanup } = serverDir();
  try {
    const srv = await startServe(dir, ["--receiver", "http=http://127.0.0.1:0"]);
    const st = await createClient(LifecycleService, socketTransport(srv.socket)).status({});
    const url = `${st.receivers[0]!.listening[0]}/ingest/text`;
    const acked: string[] = [];
    let sent = 0;
    let signalled = false;
    const worker = async (w: number) => {
      for (let i = 0; ; i++) {
        const lines = Array.from({ length: 50 }, (_, j) => `w${w} r${i} l${j}`);
        sent++;
        try {
          const res = await fetch(url, { method: "POST", body: lines.join("\n") + "\n", headers: { "x-wait-ack": "true" } });
          if (res.status !== 200) return;
          acked.push(...lines);
        } catch {
          return;
        }
        if (!signalled && acked.length >= 40 * 50) {
          signalled = true;
          srv.proc.kill("SIGTERM");
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(worker));
    expect(await srv.exited).toBe(0);
    const again = await startServe(dir);
    const stored = new Set(await raws(again));
    const lost = acked.filter((l) => !stored.has(l));
    console.log(`HTTP wait-ack shutdown: ${sent} requests, ${acked.length / 50} acked, ${stored.size} records stored, ${lost.length} acked records missing`);
    expect({ lost: lost.slice(0, 5), signalled }).toEqual({ lost: [], signalled: true });
    expect(await stop(again)).toBe(0);
  } finally {
    cleanup();
  }
}, 30_000);

const relpSignals: NodeJS.Signals[] = ["SIGTERM", "SIGKILL"];
test.skipIf(!haveRsyslog() || !haveOmrelp()).each(relpSignals)("%s mid-stream from rsyslog omrelp, restart on the same port: nothing lost (needs rsyslog, rsyslog-relp)", async (signal) => {
  const N = 3000;
  const { dir, cleanup } = serverDir();
  const flag = ["--receiver", `relp=tcp://127.0.0.1:${freePort()}`];
  try {
    let srv = await startServe(dir, flag);
    const relpPort = Number(flag[1]!.slice(flag[1]!.lastIndexOf(":") + 1));
    await using rs = await startRsyslog(`module(load="omrelp")\naction(type="omrelp" target="127.0.0.1" port="${relpPort}" template="RSYSLOG_SyslogProtocol23Format" action.resumeRetryCount="-1" action.resumeInterval="1")`);
    rs.send(Array.from({ length: N }, (_, i) => `seq=${String(i).padStart(6, "0")}`));
    const life = createClient(LifecycleService, socketTransport(srv.socket));
    await until(async () => Number((await life.status({})).receivers[0]!.stored) >= N / 10, { what: "a tenth of the messages stored", pollMs: 5 });
    const storedAtStop = Number((await life.status({})).receivers[0]!.stored);
    if (signal === "SIGTERM") expect(await stop(srv)).toBe(0);
    else {
      // A crash: no drain, no flush; only what was fsynced (and so acked) is on disk.
      srv.proc.kill("SIGKILL");
      await srv.exited;
    }
    srv = await startServe(dir, flag);
    const seen = new Map<string, number>();
    const tally = async () => {
      seen.clear();
      for (const r of await raws(srv)) {
        const m = /seq=\d+/.exec(r)?.[0];
        if (m) seen.set(m, (seen.get(m) ?? 0) + 1);
      }
      return seen.size === N;
    };
    // A shortfall is reported by the expect below, with the counts.
    await until(tally, { what: `all ${N} messages after the restart`, timeoutMs: 20_000, pollMs: 100 }).catch(() => {});
    const onDisk = [...seen.values()].reduce((a, b) => a + b, 0);
    console.log(`RELP ${signal}: after ${storedAtStop} stored; after restart ${seen.size}/${N} distinct, ${onDisk - N} resent duplicates on disk`);
    expect(seen.size).toBe(N);
    expect(await stop(srv)).toBe(0);
  } finally {
    cleanup();
  }
}, 40_000);
