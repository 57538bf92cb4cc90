/**
 * DatagramQueue: datagrams arriving while the pipeline is full are held (bounded by bytes) and
 * handed on in order as appends make room; a full queue refuses; flush hands everything on;
 * the receiver's counters show what is held (datagrams and bytes).
 * End to end: syslog and GELF over real UDP on 127.0.0.1 into a pipeline whose appends stall.
 */

import { describe, expect, test } from "bun:test";
import dgram from "node:dgram";
import type { RecordInput } from "../../core/record.ts";
import { until } from "../../../test/support/until.ts";
import { ReceiverCounters } from "../pipeline/counters.ts";
import { IngestPipeline } from "../pipeline/pipeline.ts";
import { DatagramQueue } from "./datagram-queue.ts";
import { createReceiver } from "./registry.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A pipeline (queue bound `maxQueuedRecords`) whose appends wait until `open()`; `appended` lists raw texts in order. */
function gatedPipeline(maxQueuedRecords: number) {
  let gate: Promise<void> = new Promise(() => {});
  let release = () => {};
  gate = new Promise((r) => (release = r));
  const appended: string[] = [];
  const pipeline = new IngestPipeline(
    {
      async append(rs: RecordInput[]) {
        await gate;
        for (const r of rs) appended.push(dec.decode(r.raw));
      },
    },
    { maxQueuedRecords },
  );
  return { pipeline, appended, open: () => release() };
}

describe("DatagramQueue", () => {
  test("datagrams offered while the pipeline is full are held and appended in order once it drains", async () => {
    const { pipeline, appended, open } = gatedPipeline(4);
    const counters = new ReceiverCounters();
    const q = new DatagramQueue(1 << 20, pipeline, (d, _remote, ts) => void pipeline.push({ raw: d, attrs: {}, ingestTs: ts, sourceTs: 0 }, counters), counters);
    const offered = Array.from({ length: 100 }, (_, i) => q.offer(enc.encode(`d${i}`), "10.0.0.1", i));
    const heldWhileFull = q.size;
    const tallyWhileFull = [counters.heldDatagrams, counters.heldDatagramBytes];
    open();
    await until(() => appended.length === 100, { what: "100 appended" });
    expect({ offered: offered.every(Boolean), heldWhileFull, tallyWhileFull, appended, heldAfter: q.size, tallyAfter: [counters.heldDatagrams, counters.heldDatagramBytes] }).toEqual({
      offered: true,
      heldWhileFull: 96,
      tallyWhileFull: [96, 6 * 2 + 90 * 3], // d4..d9, d10..d99
      appended: Array.from({ length: 100 }, (_, i) => `d${i}`),
      heldAfter: 0,
      tallyAfter: [0, 0],
    });
  });

  test("past its byte bound it refuses; what it accepted is appended in order; flush hands on what it holds", async () => {
    const { pipeline, appended, open } = gatedPipeline(2);
    const counters = new ReceiverCounters();
    const q = new DatagramQueue(1 << 20, pipeline, (d, _remote, ts) => void pipeline.push({ raw: d, attrs: {}, ingestTs: ts, sourceTs: 0 }, counters), counters);
    const big = (i: number) => enc.encode(`b${i} `.padEnd(60 << 10, "x"));
    const accepted = Array.from({ length: 30 }, (_, i) => q.offer(big(i), "10.0.0.1", i));
    // 2 go to the pipeline (then full), 17 of 60 KiB fit one 1 MiB block, the rest are refused.
    const expectAccepted = Array.from({ length: 30 }, (_, i) => i < 19);
    const held = q.size;
    const tally = [counters.heldDatagrams, counters.heldDatagramBytes];
    q.flush();
    const queuedAfterFlush = pipeline.stats().queued + pipeline.stats().appending;
    open();
    await until(() => appended.length === 19, { what: "19 appended" });
    expect({ accepted, held, tally, heldAfterFlush: q.size, tallyAfterFlush: [counters.heldDatagrams, counters.heldDatagramBytes], queuedAfterFlush, appended: appended.map((t) => t.slice(0, t.indexOf(" "))) }).toEqual({
      accepted: expectAccepted,
      held: 17,
      tally: [17, 17 * (60 << 10)],
      heldAfterFlush: 0,
      tallyAfterFlush: [0, 0],
      queuedAfterFlush: 19,
      appended: Array.from({ length: 19 }, (_, i) => `b${i}`),
    });
  });

  const cases = [
    { type: "syslog", datagram: (i: number) => `<13>Oct 11 22:14:15 host app: m${i}`, raw: (i: number) => `<13>Oct 11 22:14:15 host app: m${i}` },
    { type: "gelf", datagram: (i: number) => JSON.stringify({ version: "1.1", host: "h", short_message: `m${i}` }), raw: (i: number) => `m${i}` },
  ];
  test.each(cases)("$type over UDP: 2,000 datagrams sent while appends stall, into a 64-record queue, are all stored in order", async ({ type, datagram, raw }) => {
    const { pipeline, appended, open } = gatedPipeline(64);
    const r = createReceiver({ type, id: "u", listen: ["udp://127.0.0.1:0"] }, { pipeline });
    await r.start();
    const url = r.stats().listening[0]!;
    const port = Number(url.slice(url.lastIndexOf(":") + 1));
    const sock = dgram.createSocket("udp4");
    const lines = Array.from({ length: 2000 }, (_, i) => datagram(i));
    let bytes = 0;
    for (let i = 0; i < lines.length; i++) {
      const b = Buffer.from(lines[i]!);
      bytes += b.length;
      await new Promise<void>((res) => sock.send(b, port, "127.0.0.1", () => res()));
      if (i % 100 === 99) await until(() => r.stats().bytes >= bytes, { what: `datagram ${i} received` }); // no kernel-side loss
    }
    sock.close();
    await until(() => r.stats().bytes === bytes, { what: "every datagram received" });
    const dropsWhileStalled = r.stats().dropped;
    // The held datagrams are the last ones sent (order is kept); status shows their count and bytes.
    const { heldDatagrams, heldDatagramBytes } = r.stats();
    const lastBytes = lines.slice(lines.length - heldDatagrams).reduce((n, l) => n + Buffer.byteLength(l), 0);
    open();
    await until(() => appended.length === 2000, { what: "2000 appended" });
    const after = r.stats();
    await r.stop();
    expect({ dropsWhileStalled, heldSome: heldDatagrams > 1000, heldDatagramBytes, appended, after: [after.heldDatagrams, after.heldDatagramBytes] }).toEqual({
      dropsWhileStalled: {},
      heldSome: true,
      heldDatagramBytes: lastBytes,
      appended: lines.map((_, i) => raw(i)),
      after: [0, 0],
    });
  });
});
