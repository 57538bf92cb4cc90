/**
 * Fuzzing the Lumberjack v2 decoder through whole sessions: random bytes, mutated go-lumber and
 * lumberjack-client captures, and random frame sequences (windows, JSON, data and compressed
 * frames with arbitrary counts and sequence numbers), fed whole and cut at random points.
 * Nothing throws or hangs, every failure is one counted protocol drop that ends the session,
 * the outcome does not depend on how the bytes were split, and a good session sharing the
 * pipeline is never disturbed. Runs: 1500 by default, GASTROLOG_FUZZ_RUNS=N for a long run.
 */

import { expect, test } from "bun:test";
import fc from "fast-check";
import { deflateSync } from "node:zlib";
import type { RecordInput } from "../../../core/record.ts";
import { IngestPipeline } from "../../pipeline/pipeline.ts";
import { capture, cutAt, fuzzRuns, sessionProbe } from "../../test-support.ts";
import { BeatsSession } from "./session.ts";

const enc = new TextEncoder();
const seeds = ["golumber-v2-uncompressed.conn0", "golumber-v2-zlib.conn0", "lumberjack-client-v2.conn0", "golumber-client-to-golumber-server"].map((n) => capture(`beats/${n}.bin`));

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
}
const cat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

const small = fc.integer({ min: 0, max: 6 });
const json = fc.oneof(fc.json({ maxDepth: 2 }), fc.string({ maxLength: 12 }));
const plainFrame = fc.oneof(
  small.map((n) => cat([enc.encode("2W"), u32(n)])),
  fc.tuple(small, json).map(([seq, j]) => {
    const b = enc.encode(j);
    return cat([enc.encode("2J"), u32(seq), u32(b.length), b]);
  }),
  fc.tuple(small, fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 6 })), { maxLength: 3 })).map(([seq, pairs]) =>
    cat([enc.encode("2D"), u32(seq), u32(pairs.length), ...pairs.flatMap(([k, v]) => [u32(enc.encode(k).length), enc.encode(k), u32(enc.encode(v).length), enc.encode(v)])]),
  ),
  fc.tuple(fc.constantFrom("1W", "2A", "2Z", "3J"), fc.nat()).map(([t, n]) => cat([enc.encode(t), u32(n)])),
);
const frame = fc.oneof(plainFrame, fc.array(plainFrame, { maxLength: 4 }).map((fs) => {
  const z = deflateSync(cat(fs));
  return cat([enc.encode("2C"), u32(z.length), z]);
}));
const mutatedSeed = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })).map(([s, m]) => {
  const b = s.slice();
  for (const [i, v] of m) b[i % b.length] = v;
  return b;
});
const input = fc.oneof(fc.uint8Array({ maxLength: 200 }), mutatedSeed, fc.array(frame, { minLength: 1, maxLength: 8 }).map(cat));

interface Outcome {
  records: string[];
  acks: string;
  ended: boolean;
  drops: string[];
}

async function feed(pipeline: IngestPipeline, stored: RecordInput[], id: string, chunks: Uint8Array[]): Promise<Outcome> {
  const probe = sessionProbe();
  const s = new BeatsSession({
    io: probe.io,
    pipeline,
    counters: probe.counters,
    base: { session: id },
    remote: "fuzz",
    limits: { maxWindowSize: 5, maxFrameBytes: 4096, maxDecodedBytes: 4096 },
    clock: () => 1,
  });
  for (const c of chunks) s.data(c);
  await pipeline.drain();
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  const records = stored.filter((r) => r.attrs.session === id).map((r) => `${new TextDecoder().decode(r.raw)} ${JSON.stringify({ ...r.attrs, session: undefined })} ${r.sourceTs}`);
  return { records, acks: Buffer.concat(probe.writes).toString("hex"), ended: probe.ended(), drops: probe.drops };
}

/** The acks a client reading them would see: which seqs were acknowledged, in order. */
const ackSeqs = (hex: string) => (hex.match(/.{12}/g) ?? []).map((a) => parseInt(a.slice(4), 16));

test("fuzz: sessions never throw, fail with one counted protocol error, split or whole alike", async () => {
  let stored: RecordInput[] = [];
  const pipeline = new IngestPipeline({
    append: async (rs) => {
      stored.push(...rs);
    },
  });
  const good = cat([enc.encode("2W"), u32(1), enc.encode("2J"), u32(1), u32(2), enc.encode("{}")]);
  await fc.assert(
    fc.asyncProperty(input, fc.array(fc.nat(), { maxLength: 5 }), async (bytes, cutSeeds) => {
      const pieces = cutAt(bytes, cutSeeds);
      stored = [];
      const [whole, split, bystander] = await Promise.all([feed(pipeline, stored, "whole", [bytes]), feed(pipeline, stored, "split", pieces), feed(pipeline, stored, "good", [good])]);
      // Split input may be acked in more, partial steps; the records, the errors and the last ack of each window agree.
      expect({ ...split, acks: undefined }).toEqual({ ...whole, acks: undefined });
      expect(ackSeqs(split.acks).at(-1)).toBe(ackSeqs(whole.acks).at(-1));
      expect(whole.drops.filter((d) => d.startsWith("protocol")).length).toBe(whole.ended ? 1 : 0);
      expect(bystander).toEqual({ records: ['{} {} 0'], acks: "324100000001", ended: false, drops: [] });
    }),
    { numRuns: fuzzRuns(1500) },
  );
});
