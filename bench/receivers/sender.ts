/**
 * Load generator for the receiver bench, run as a separate process so senders and receivers
 * do not share an event loop: `bun sender.ts MODE PORT COUNT [RATE]`. Modes: tcp-octet (RFC
 * 6587 octet-counted syslog, as fast as the socket takes it or, with RATE, paced to RATE per
 * second), tcp-lf (the same messages LF-framed, for the reference sink), http-ndjson (POSTs of
 * 1000 lines, 4 in flight), udp (datagrams paced to RATE per second).
 * Prints `{"sent":N,"seconds":S}`.
 */

import { message, ndjsonLine } from "./messages.ts";

const [mode, portArg, countArg, rateArg] = process.argv.slice(2);
const port = Number(portArg);
const count = Number(countArg);
const HOST = "127.0.0.1";

async function tcp(octet: boolean, rate: number): Promise<void> {
  const parts: string[] = [];
  const ends: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const m = message(i);
    const framed = octet ? `${Buffer.byteLength(m)} ${m}` : `${m}\n`;
    parts.push(framed);
    ends.push((bytes += framed.length));
  }
  const payload = Buffer.from(parts.join(""));
  // Paced: the socket is offered the messages due so far, in ticks of about a millisecond.
  const t0 = performance.now();
  let offered = rate > 0 ? 0 : payload.length;
  const offer = (): number => {
    if (rate <= 0) return payload.length;
    const due = Math.min(count, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    return due > 0 ? ends[due - 1]! : 0;
  };
  let off = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const sock = await Bun.connect({
    hostname: HOST,
    port,
    socket: {
      drain(s) {
        if (off < offered) off += s.write(payload.subarray(off, offered));
        if (off >= payload.length) done();
      },
      data() {},
    },
  });
  while (offered < payload.length) {
    offered = offer();
    if (off < offered) off += sock.write(payload.subarray(off, offered));
    await Bun.sleep(1);
  }
  off += sock.write(payload.subarray(off));
  if (off >= payload.length) done();
  await finished;
  sock.end();
}

async function http(): Promise<void> {
  const BATCH = 1000;
  const bodies: string[] = [];
  for (let i = 0; i < count; i += BATCH) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) lines.push(ndjsonLine(j));
    bodies.push(lines.join("\n") + "\n");
  }
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      for (;;) {
        const res = await fetch(`http://${HOST}:${port}/ingest/ndjson`, { method: "POST", body });
        if (res.status === 204) break;
        await Bun.sleep(5);
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

async function udp(rate: number): Promise<void> {
  const sock = await Bun.udpSocket({});
  const msgs: Buffer[] = [];
  for (let i = 0; i < count; i++) msgs.push(Buffer.from(message(i)));
  const t0 = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    if (due > sent) {
      const packets: (Buffer | string | number)[] = [];
      for (let i = sent; i < due; i++) packets.push(msgs[i]!, port, HOST);
      sent += sock.sendMany(packets);
    } else await Bun.sleep(0.5);
  }
  sock.close();
}

const t0 = performance.now();
if (mode === "tcp-octet") await tcp(true, Number(rateArg ?? 0));
else if (mode === "tcp-lf") await tcp(false, 0);
else if (mode === "http-ndjson") await http();
else if (mode === "udp") await udp(Number(rateArg));
else throw new Error(`unknown mode ${mode}`);
console.log(JSON.stringify({ sent: count, seconds: (performance.now() - t0) / 1000 }));
