/**
 * IngestPipeline: group commit across receivers into a real file store, durability waits,
 * failed appends, backpressure bounds, and limits enforcement.
 */

import { describe, expect, test } from "bun:test";
import { MAX_RAW_BYTES } from "../../core/limits.ts";
import type { RecordInput } from "../../core/record.ts";
import { tempStore, text } from "../test-support.ts";
import { storeAppender, type Appender } from "./appender.ts";
import { ReceiverCounters } from "./counters.ts";
import { IngestPipeline } from "./pipeline.ts";

const enc = new TextEncoder();
const rec = (s: string): RecordInput => ({ raw: enc.encode(s), attrs: { k: s }, sourceTs: 0, ingestTs: 1 });

/** An appender whose appends wait for `release()`; records every batch size. */
function gated(inner?: Appender) {
  const batches: number[] = [];
  let open: () => void = () => {};
  let gate = new Promise<void>((r) => (open = r));
  let always = false;
  const appender: Appender = {
    async append(rs) {
      batches.push(rs.length);
      if (!always) await gate;
      if (inner) await inner.append(rs);
    },
  };
  return {
    appender,
    batches,
    release() {
      open();
      gate = new Promise<void>((r) => (open = r));
    },
    releaseAll() {
      always = true;
      open();
    },
  };
}

describe("IngestPipeline", () => {
  test("records from several receivers share batches; order and durability hold", async () => {
    await using t = await tempStore();
    const g = gated(storeAppender(t.store));
    const p = new IngestPipeline(g.appender);
    const a = new ReceiverCounters();
    const b = new ReceiverCounters();
    const s1 = p.push(rec("a1"), a);
    p.push(rec("b1"), b);
    const d1 = p.whenDurable(s1);
    await new Promise((r) => setImmediate(r));
    const s3 = p.push(rec("a2"), a);
    p.push(rec("b2"), b);
    const s5 = p.push(rec("a3"), a);
    const d5 = p.whenDurable(s5);
    const d3 = p.whenDurable(s3);
    g.release();
    expect(await d1).toBe(true);
    g.release();
    expect(await Promise.all([d3, d5])).toEqual([true, true]);
    expect(g.batches).toEqual([2, 3]);
    expect(t.records().map(text)).toEqual(["a1", "b1", "a2", "b2", "a3"]);
    expect([a.messages, a.stored, b.messages, b.stored]).toEqual([3, 3, 2, 2]);
    expect(a.queueWaitMicros).toBeGreaterThanOrEqual(0);
    expect(p.stats()).toEqual({ queued: 0, queuedBytes: 0, appending: 0, batches: 2, appended: 5, appendErrors: 0 });
    expect(await p.whenDurable(1)).toBe(true);
  });

  test("a failed append resolves false, counts drops, and later batches still go through", async () => {
    const errors: string[] = [];
    let fail = true;
    const p = new IngestPipeline({ append: async () => (fail ? Promise.reject(new Error("disk full")) : undefined) }, { onError: (m) => errors.push(m) });
    const c = new ReceiverCounters();
    const s = p.push(rec("x"), c);
    expect(await p.whenDurable(s)).toBe(false);
    fail = false;
    expect(await p.whenDurable(p.push(rec("y"), c))).toBe(true);
    expect(await p.whenDurable(s)).toBe(false);
    expect({ errors, dropped: c.snapshot().dropped, stored: c.stored }).toEqual({ errors: ["append of 1 records failed: disk full"], dropped: { append_failed: 1 }, stored: 1 });
  });

  test("full at the record bound; whenSpace resolves once the queue drains below half", async () => {
    const g = gated();
    const p = new IngestPipeline(g.appender, { maxQueuedRecords: 4, maxBatchRecords: 2 });
    const c = new ReceiverCounters();
    for (let i = 0; i < 6; i++) p.push(rec(String(i)), c);
    await new Promise((r) => setImmediate(r));
    expect([p.full, p.stats().queued]).toEqual([true, 4]);
    let spaced = false;
    const space = p.whenSpace().then(() => (spaced = true));
    g.release();
    await new Promise((r) => setImmediate(r));
    expect([spaced, p.stats().queued]).toEqual([true, 2]);
    await space;
    g.releaseAll();
    await p.drain();
    expect(g.batches).toEqual([2, 2, 2]);
  });

  test("limits are enforced once and counted on the receiver", async () => {
    const seen: RecordInput[] = [];
    const p = new IngestPipeline({ append: async (rs) => void seen.push(...rs) });
    const c = new ReceiverCounters();
    p.push({ raw: new Uint8Array(MAX_RAW_BYTES + 5), attrs: {}, sourceTs: 0, ingestTs: 0 }, c);
    await p.drain();
    expect([seen[0]!.raw.length, seen[0]!.attrs, c.limits]).toEqual([MAX_RAW_BYTES, { _truncated: String(MAX_RAW_BYTES + 5) }, { rawTruncated: 1, attrsTruncated: 0, attrsDropped: 0, sourceTsInvalid: 0 }]);
  });
});
