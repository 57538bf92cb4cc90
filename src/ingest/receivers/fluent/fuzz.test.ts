/**
 * Fuzzing the Fluent Forward decoder through whole sessions: random bytes, mutated client
 * captures and random MessagePack messages, fed whole and cut at random points. Nothing throws
 * or hangs, every failure is one counted protocol drop that ends the session, the outcome does
 * not depend on how the bytes were split, and a good session sharing the pipeline is never
 * disturbed. Runs: 1500 by default, GASTROLOG_FUZZ_RUNS=N for a long run.
 */

import { expect, test } from "bun:test";
import fc from "fast-check";
import type { RecordInput } from "../../../core/record.ts";
import { IngestPipeline } from "../../pipeline/pipeline.ts";
import { capture, cutAt, fuzzRuns, sessionProbe } from "../../test-support.ts";
import { encodeEventTime, packMsgpack, unpackAll } from "./msgpack.ts";
import { FluentSession } from "./session.ts";

const seeds = ["fluentlogger-message-ack", "fluentlogger-packedforward-ack", "fluentlogger-compressedpackedforward-ack-eventtime", "docker-fluentd-driver-ack"].map((n) => capture(`fluent/${n}.conn0.bin`));

const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.uint8Array({ maxLength: 8 }));
const record = fc.dictionary(fc.constantFrom("message", "log", "msg", "k", "n", "__proto__"), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 4 });
const time = fc.oneof(fc.nat(), fc.double(), fc.constant(null), fc.string({ maxLength: 3 }));
const option = fc.oneof(fc.constant(undefined), fc.record({ chunk: fc.oneof(fc.string({ maxLength: 6 }), fc.nat()) }, { requiredKeys: [] }), fc.constant({ compressed: "gzip" }), scalar);
const message = fc.oneof(
  fc.tuple(fc.string({ maxLength: 6 }), time, record, option).map(([tag, t, r, o]) => packMsgpack(o === undefined ? [tag, t, r] : [tag, t, r, o])),
  fc.tuple(fc.string({ maxLength: 6 }), fc.array(fc.tuple(time, record), { maxLength: 4 }), option).map(([tag, es, o]) => packMsgpack([tag, es, o])),
  fc.tuple(fc.string({ maxLength: 6 }), fc.array(fc.tuple(fc.nat(), record), { maxLength: 4 })).map(([tag, es]) => packMsgpack([tag, Buffer.concat(es.map((e) => packMsgpack(e))), { chunk: "p" }])),
  fc.tuple(fc.nat(), fc.nat()).map(([s, n]) => Buffer.concat([Uint8Array.of(0x93), packMsgpack("t"), encodeEventTime(s, n), packMsgpack({ message: "e" })])),
  scalar.map((v) => packMsgpack(v)),
);
const mutatedSeed = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })).map(([s, m]) => {
  const b = s.slice();
  for (const [i, v] of m) b[i % b.length] = v;
  return b;
});
const input = fc.oneof(fc.uint8Array({ maxLength: 200 }), mutatedSeed, fc.array(message, { minLength: 1, maxLength: 4 }).map((ms) => new Uint8Array(Buffer.concat(ms))));

interface Outcome {
  records: string[];
  writes: unknown[];
  ended: boolean;
  drops: string[];
}

/** Runs `chunks` through a fresh session `id` on the shared pipeline; resolves with what came out. */
async function feed(pipeline: IngestPipeline, stored: RecordInput[], id: string, chunks: Uint8Array[]): Promise<Outcome> {
  const probe = sessionProbe();
  const s = new FluentSession({
    io: probe.io,
    pipeline,
    counters: probe.counters,
    base: { session: id },
    remote: "fuzz",
    limits: { maxMessageBytes: 4096, maxDecodedBytes: 4096 },
    clock: () => 1,
  });
  for (const c of chunks) s.data(c);
  await pipeline.drain();
  await new Promise((r) => setImmediate(r));
  const records = stored.filter((r) => r.attrs.session === id).map((r) => `${new TextDecoder().decode(r.raw)} ${JSON.stringify({ ...r.attrs, session: undefined })} ${r.sourceTs}`);
  return { records, writes: unpackAll(Buffer.concat(probe.writes)), ended: probe.ended(), drops: probe.drops };
}

test("fuzz: sessions never throw, fail with one counted protocol error, split or whole alike", async () => {
  let stored: RecordInput[] = [];
  const pipeline = new IngestPipeline({
    append: async (rs) => {
      stored.push(...rs);
    },
  });
  await fc.assert(
    fc.asyncProperty(input, fc.array(fc.nat(), { maxLength: 5 }), async (bytes, cutSeeds) => {
      const pieces = cutAt(bytes, cutSeeds);
      const good = packMsgpack(["good", 1795726040, { message: "unaffected" }, { chunk: "g" }]);
      stored = [];
      const [whole, split, bystander] = await Promise.all([feed(pipeline, stored, "whole", [bytes]), feed(pipeline, stored, "split", pieces), feed(pipeline, stored, "good", [good])]);
      expect(split).toEqual(whole);
      expect(whole.drops.filter((d) => d.startsWith("protocol")).length).toBe(whole.ended ? 1 : 0);
      expect(bystander).toEqual({ records: ['unaffected {"tag":"good"} 1795726040000000'], writes: [{ ack: "g" }], ended: false, drops: [] });
    }),
    { numRuns: fuzzRuns(1500) },
  );
});
