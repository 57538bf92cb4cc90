/**
 * Kafka receiver waits, with a fake kafkajs batch context (no broker): the first batch after a
 * failed append's seek heartbeats while the windows queued before the failure settle, and one
 * that goes stale meanwhile leaves that wait to the next batch.
 */

import { expect, test } from "bun:test";
import { IngestPipeline } from "../../pipeline/pipeline.ts";
import { createKafkaReceiver } from "./receiver.ts";
import { until } from "../../../../test/support/until.ts";

/** The receiver's private parts the test drives. */
interface Internals {
  rewound: Map<string, Promise<void> | undefined>;
  batch(cp: unknown, consumer: unknown, base: Record<string, string>, p: unknown): Promise<void>;
}

/** A receiver (never started; sessionTimeoutMs 6000: a heartbeat every 600 ms) whose partition t:0 was rewound with `settling` pending. */
function rewoundReceiver(settling: Promise<void>): Internals {
  const pipeline = new IngestPipeline({ append: async () => {} });
  const r = createKafkaReceiver({ id: "k", type: "kafka", listen: ["kafka://127.0.0.1:9/t?sessionTimeoutMs=6000"] }, { pipeline }) as unknown as Internals;
  r.rewound.set("t:0", settling);
  return r;
}

/** An empty fetched batch of t:0 that counts heartbeats; `stale` is asked on each check. */
function fakeBatch(onBeat: (beats: number) => void, stale: () => boolean = () => false) {
  const p = {
    beats: 0,
    batch: { topic: "t", partition: 0, messages: [] },
    heartbeat: async () => onBeat(++p.beats),
    isRunning: () => true,
    isStale: stale,
  };
  return p;
}

const checkpointer = { row: () => undefined, set: () => {} };

test("the first batch after a seek heartbeats while the windows queued before it settle", async () => {
  let settle = () => {};
  const settling = new Promise<void>((r) => (settle = r));
  const r = rewoundReceiver(settling);
  // The settle takes longer than two heartbeat intervals: it ends at the second heartbeat.
  const p = fakeBatch((beats) => beats === 2 && settle());
  const done = r.batch(checkpointer, {}, {}, p);
  await until(() => p.beats >= 2, { what: "two heartbeats while the earlier windows settle", timeoutMs: 10_000 });
  await done;
  expect({ beats: p.beats, stillRewound: r.rewound.has("t:0") }).toEqual({ beats: 2, stillRewound: false });
}, 20_000);

test("a batch that goes stale while it waits returns at once and leaves the wait to the next batch", async () => {
  let settle = () => {};
  const settling = new Promise<void>((r) => (settle = r));
  const r = rewoundReceiver(settling);
  let stale = false;
  const p = fakeBatch(() => (stale = true), () => stale);
  await r.batch(checkpointer, {}, {}, p);
  expect({ beats: p.beats, stillRewound: r.rewound.get("t:0") === settling }).toEqual({ beats: 1, stillRewound: true });
  settle();
}, 20_000);
