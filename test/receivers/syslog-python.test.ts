/**
 * Syslog receiver against Python's standard logging.handlers.SysLogHandler (Debian's
 * /usr/bin/python3): over TCP it ends every message with NUL and sends no LF, over UDP each
 * datagram carries a trailing NUL. Every message must be its own record, with nothing lost, and
 * oversize messages must be cut, counted as `truncated` and logged (rate-limited).
 */

import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { run, startHarness } from "./support.ts";

const PYTHON = "/usr/bin/python3";
const sender = join(import.meta.dir, "clients/syslog-python.py");
const dec = new TextDecoder();
const hasPython = existsSync(PYTHON);

function send(transport: "udp" | "tcp", port: number, count: number, size = 0): Promise<string> {
  return run([PYTHON, sender, transport, String(port), String(count), String(size)]);
}

test.skipIf(!hasPython)("SysLogHandler over TCP (NUL-terminated) and UDP: one record per message, nothing lost (needs /usr/bin/python3)", async () => {
  await using h = await startHarness({ type: "syslog", listen: ["udp://127.0.0.1:0", "tcp://127.0.0.1:0"] });
  const tcp = 30_000;
  const udp = 1000;
  await send("tcp", h.port("tcp"), tcp);
  await h.appender.waitFor(tcp, 30_000);
  await send("udp", h.port("udp"), udp);
  await h.appender.waitFor(tcp + udp, 30_000);
  await h.pipeline.drain();
  const raws = h.records().map((r) => dec.decode(r.raw));
  const expected = [...Array.from({ length: tcp }, (_, i) => `<12>python tcp message ${i}`), ...Array.from({ length: udp }, (_, i) => `<12>python udp message ${i}`)];
  expect(raws.length).toBe(expected.length);
  expect(raws).toEqual(expected);
  const s = h.receiver.stats();
  expect({ messages: s.messages, stored: s.stored, dropped: s.dropped, droppedBytes: s.droppedBytes, severity: h.records()[0]!.attrs.severity_name }).toEqual({
    messages: tcp + udp,
    stored: tcp + udp,
    dropped: {},
    droppedBytes: 0,
    severity: "warning",
  });
});

test.skipIf(!hasPython)("oversize SysLogHandler messages are cut to maxFrameBytes, counted as truncated and logged (needs /usr/bin/python3)", async () => {
  const max = 4096;
  await using h = await startHarness({ type: "syslog", listen: ["udp://127.0.0.1:0", "tcp://127.0.0.1:0"], options: { maxFrameBytes: max } });
  await send("tcp", h.port("tcp"), 3, 10_000);
  await send("tcp", h.port("tcp"), 2);
  await h.appender.waitFor(5);
  await send("udp", h.port("udp"), 1, 6000);
  await h.appender.waitFor(6);
  await h.pipeline.drain();
  await h.receiver.stop();
  const got = h.records().map((r) => ({ len: r.raw.length, head: dec.decode(r.raw.subarray(0, 26)) }));
  expect(got).toEqual([
    { len: max, head: "<12>python tcp message 0 x" },
    { len: max, head: "<12>python tcp message 1 x" },
    { len: max, head: "<12>python tcp message 2 x" },
    { len: 24, head: "<12>python tcp message 0" },
    { len: 24, head: "<12>python tcp message 1" },
    { len: max, head: "<12>python udp message 0 x" },
  ]);
  // Each message is "<12>" + 10,000 (6,000) bytes: the tails beyond max are the dropped bytes; TCP also drops each NUL.
  const droppedBytes = 3 * (4 + 10_000 + 1 - max) + (4 + 6000 - max);
  const s = h.receiver.stats();
  expect({ dropped: s.dropped, droppedBytes: s.droppedBytes, stored: s.stored }).toEqual({ dropped: { truncated: 4 }, droppedBytes, stored: 6 });
  const lines = h.events.filter((e) => e.kind === "drop");
  const logged = { messages: 0, bytes: 0 };
  for (const l of lines) {
    for (const m of l.message.matchAll(/truncated (\d+) \((\d+) bytes\)/g)) {
      logged.messages += Number(m[1]);
      logged.bytes += Number(m[2]);
    }
  }
  expect({ logged, levels: [...new Set(lines.map((l) => l.level))], first: lines[0]?.message.startsWith("dropped input: truncated 1 (") }).toEqual({
    logged: { messages: 4, bytes: droppedBytes },
    levels: ["warn"],
    first: true,
  });
  expect(lines.length).toBeLessThanOrEqual(4);
});
