/**
 * Measures a server's responsiveness from a small process of its own (so the test runner's
 * heap and GC do not colour the numbers): for `ms` milliseconds it probes GET /healthz and
 * RELP acknowledgements side by side, each every 10 ms, and prints their latencies as JSON
 * `{"health":[ms...],"acks":[ms...]}`. Run: `bun test/support/prober.ts HOST:PORT RELP_PORT MS`.
 */

import { RelpClient } from "./relp-client.ts";

/** Pause between probes, so they measure the server rather than load it. */
const PACE_MS = 10;

/** Runs `probe` every PACE_MS for `ms` and returns each call's latency (ms). */
async function latencies(ms: number, probe: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t = performance.now();
    await probe();
    out.push(performance.now() - t);
    await Bun.sleep(PACE_MS);
  }
  return out;
}

const [http, relpPort, ms] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const relp = await RelpClient.connect(relpPort);
let n = 0;
const [health, acks] = await Promise.all([
  latencies(ms, async () => {
    const r = await fetch(`http://${http}/healthz`);
    if ((await r.text()) !== "ok\n") throw new Error(`healthz answered ${r.status}`);
  }),
  latencies(ms, async () => {
    const rsp = await relp.send(`<13>1 2025-03-01T10:00:00Z host app - - - probe ${n++}`);
    if (!rsp.startsWith("200")) throw new Error(`RELP answered ${rsp}`);
  }),
]);
relp.close();
console.log(JSON.stringify({ health, acks }));
