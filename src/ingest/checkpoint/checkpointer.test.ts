import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordInput } from "../../core/record.ts";
import { ReceiverCounters } from "../pipeline/counters.ts";
import { IngestPipeline } from "../pipeline/pipeline.ts";
import { Checkpointer, settle, type Draft } from "./checkpointer.ts";
import { PositionStore, type SourceRow } from "./positions.ts";

const row = (pending: SourceRow["pending"], skip = 0): SourceRow => ({ source: "f", position: "p0", skip, pending, meta: "{}", seenAt: 0 });
const W = [
  { t0: 100, n: 10, to: "p1" },
  { t0: 110, n: 0, to: "p1b" },
  { t0: 120, n: 5, to: "p2" },
];

describe("settle: what a crash left pending, given the newest stored ingestTs", () => {
  const cases: { name: string; stored: number; skip?: number; want: Pick<SourceRow, "position" | "skip"> }[] = [
    { name: "nothing stored", stored: 0, want: { position: "p0", skip: 0 } },
    { name: "part of the first window", stored: 103, want: { position: "p0", skip: 4 } },
    { name: "part of the first window after an earlier skip", stored: 103, skip: 2, want: { position: "p0", skip: 6 } },
    { name: "the first window, and the empty one after it", stored: 109, want: { position: "p1b", skip: 0 } },
    { name: "into the third window", stored: 121, want: { position: "p1b", skip: 2 } },
    { name: "everything", stored: 124, want: { position: "p2", skip: 0 } },
    { name: "newer records of other sources", stored: 9999, want: { position: "p2", skip: 0 } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = row(W.map((w) => ({ ...w })), c.skip);
      settle(r, c.stored);
      expect({ position: r.position, skip: r.skip, pending: r.pending }).toEqual({ ...c.want, pending: [] });
    });
  }
});

describe("settle: a redelivered window whose first records lie below the position + skip", () => {
  const cases: { name: string; stored: number; want: Pick<SourceRow, "position" | "skip"> }[] = [
    { name: "part of the records already counted", stored: 103, want: { position: "p0", skip: 2 } },
    { name: "all of them and two more", stored: 107, want: { position: "p0", skip: 4 } },
    { name: "the whole window", stored: 109, want: { position: "p1", skip: 0 } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = row([{ t0: 100, n: 10, to: "p1", below: 6 }], 2);
      settle(r, c.stored);
      expect({ position: r.position, skip: r.skip }).toEqual(c.want);
    });
  }
});

function drafts(texts: string[]): Draft[] {
  return texts.map((t) => ({ raw: new TextEncoder().encode(t), attrs: { receiver: "r" }, sourceTs: 0, ingestTs: 0 }));
}

describe("Checkpointer with a real pipeline and positions database", () => {
  test("a position is committed only once its records are durable; ingestTs are unique and increasing", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stored: RecordInput[] = [];
    const pipeline = new IngestPipeline({
      async append(rs) {
        await gate;
        stored.push(...rs);
      },
    });
    const db = new PositionStore(":memory:");
    const pos = db.receiver("r");
    const cp = new Checkpointer(pos, pipeline, new ReceiverCounters(), () => 5000);
    await cp.recover(undefined);
    cp.push("a", drafts(["x", "y"]), "A2");
    cp.push("b", drafts(["z"]), "B1");
    cp.push("a", drafts(["w"]), "A3");
    const saved = () => Object.fromEntries(pos.rows().map((r) => [r.source, { position: r.position, pending: r.pending.length }]));
    expect(saved()).toEqual({ a: { position: "A2", pending: 2 }, b: { position: "B1", pending: 1 } });
    release();
    await cp.settled();
    expect(saved()).toEqual({ a: { position: "A3", pending: 0 }, b: { position: "B1", pending: 0 } });
    expect(stored.map((r) => r.ingestTs)).toEqual([5000, 5001, 5002, 5003]);
    db.close();
  });

  test("after a crash, recover asks the stores and skips exactly what they hold", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-"));
    try {
      const path = join(dir, "p.sqlite");
      // First life: the append never completes (the process "dies" with windows pending).
      const first = new PositionStore(path);
      const hung = new IngestPipeline({ append: () => new Promise(() => {}) });
      const cp1 = new Checkpointer(first.receiver("r"), hung, new ReceiverCounters(), () => 1000);
      await cp1.recover(undefined);
      cp1.set("f", "start", "{}");
      cp1.push("f", drafts(["1", "2", "3"]), "after3");
      cp1.push("f", drafts(["4", "5"]), "after5");
      first.close();
      // The stores say records up to ingestTs 1003 (the 4th) made it.
      const second = new PositionStore(path);
      const asked: [string, number][] = [];
      const cp2 = new Checkpointer(second.receiver("r"), new IngestPipeline({ append: async () => {} }), new ReceiverCounters(), () => 1000);
      await cp2.recover(async (id, since) => {
        asked.push([id, since]);
        return 1003;
      });
      expect({ asked, row: { position: cp2.row("f")!.position, skip: cp2.row("f")!.skip } }).toEqual({ asked: [["r", 1000]], row: { position: "after3", skip: 1 } });
      // The clock continues after the reserved range, so new records never reuse an ingestTs.
      expect(second.receiver("r").reserve(1, 0)).toBe(1005);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a failed append keeps the position, drops later windows' results and asks for a re-read", async () => {
    let fail = true;
    const pipeline = new IngestPipeline({
      async append() {
        if (fail) throw new Error("disk full");
      },
    });
    const rewinds: string[] = [];
    const db = new PositionStore(":memory:");
    const cp = new Checkpointer(db.receiver("r"), pipeline, new ReceiverCounters(), () => 1, (r) => rewinds.push(`${r.source}@${r.position}`));
    await cp.recover(undefined);
    cp.set("f", "p0", "{}");
    cp.push("f", drafts(["a"]), "p1");
    await cp.settled();
    fail = false;
    cp.push("f", drafts(["b"]), "p2");
    await cp.settled();
    expect({ rewinds, position: cp.row("f")!.position }).toEqual({ rewinds: ["f@p0"], position: "p2" });
    db.close();
  });

  test("a window cut across two appends whose first one failed is not committed, even though its last record is durable", async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const pipeline = new IngestPipeline(
      {
        async append() {
          await gate;
          if (++calls === 1) throw new Error("disk full");
        },
      },
      { maxBatchRecords: 2 },
    );
    const rewinds: string[] = [];
    const db = new PositionStore(":memory:");
    const cp = new Checkpointer(db.receiver("r"), pipeline, new ReceiverCounters(), () => 1, (r) => rewinds.push(`${r.source}@${r.position}`));
    await cp.recover(undefined);
    cp.set("f", "p0", "{}");
    const durable = cp.push("f", drafts(["a", "b", "c"]), "p3");
    release();
    expect({ durable: await durable, rewinds, position: cp.row("f")!.position, calls }).toEqual({ durable: false, rewinds: ["f@p0"], position: "p0", calls: 2 });
    db.close();
  });
});
