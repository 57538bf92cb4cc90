/** GELF receiver against the npm gelf-pro client over UDP (zlib, chunked) and TCP (NUL frames). */

import { expect, test } from "bun:test";
import { join } from "node:path";
import { run, startHarness } from "./support.ts";

const sender = join(import.meta.dir, "clients/gelf-send.cjs");
const dec = new TextDecoder();

for (const adapter of ["udp", "tcp"] as const) {
  test(`gelf-pro over ${adapter}`, async () => {
    await using h = await startHarness({ type: "gelf", listen: [`${adapter}://127.0.0.1:0`] });
    await run([process.execPath, sender, adapter, String(h.port(adapter))]);
    await h.appender.waitFor(2);
    await h.pipeline.drain();
    const host = h.records()[0]!.attrs.host ?? "";
    const got = h.records().map((r) => ({ raw: dec.decode(r.raw), attrs: { ...r.attrs, big: String(r.attrs.big?.length) } as Record<string, string>, ts: r.sourceTs > 0 }));
    const attrs = { receiver: "r1", remote_ip: "127.0.0.1", host, facility: "peers", env: "test" };
    expect(host.length).toBeGreaterThan(0);
    expect(got).toEqual([
      { raw: "gelf-pro small message", attrs: { ...attrs, level: "6", user_id: "42", big: "undefined" }, ts: true },
      { raw: "gelf-pro big message", attrs: { ...attrs, level: "3", big: "4000" }, ts: true },
    ]);
    const s = h.receiver.stats();
    expect({ stored: s.stored, parseErrors: s.parseErrors, dropped: s.dropped }).toEqual({ stored: 2, parseErrors: 0, dropped: {} });
  });
}
