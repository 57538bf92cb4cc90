/**
 * Exactly-once resume, deterministically: a tail receiver in a child process gets records into
 * the store but never sees them acknowledged (recall-child.ts), so its positions still list
 * them as pending when it is killed with SIGKILL; a new receiver on the same store and
 * positions asks the store through storeRecall and goes on right after them. Also storeRecall.
 */

import { expect, test } from "bun:test";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PositionStore } from "../../ingest/checkpoint/positions.ts";
import { IngestPipeline } from "../../ingest/pipeline/pipeline.ts";
import { createReceiver } from "../../ingest/receivers/registry.ts";
import { tempStore } from "../../ingest/test-support.ts";
import { openFileStore } from "../../storage/file/open-store.ts";
import { storeRecall } from "./recall.ts";
import { until } from "../../../test/support/until.ts";

const dec = new TextDecoder();

test("storeRecall: the newest ingestTs at or after `since` of the receiver's stored records", async () => {
  await using t = await tempStore("recall-");
  const rec = (receiver: string, ingestTs: number) => ({ raw: new Uint8Array([0x61]), attrs: { receiver }, sourceTs: 0, ingestTs });
  await t.store.append([rec("a", 100), rec("b", 500), rec("a", 300), rec("a", 200)]);
  const recall = storeRecall(() => [t.store]);
  expect([await recall("a", 0), await recall("a", 301), await recall("b", 100), await recall("c", 0)]).toEqual([300, 0, 500, 0]);
});

test("a kill -9 after the store committed but before the ack: the restarted receiver skips exactly what was stored", async () => {
  const dir = mkdtempSync(join(tmpdir(), "recall-crash-"));
  try {
    const file = join(dir, "app.log");
    const storeDir = join(dir, "store");
    const positionsPath = join(dir, "positions.sqlite");
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    writeFileSync(file, lines.slice(0, 100).join("\n") + "\n");

    // First life (a child): 100 lines acknowledged, 100 more stored but never acknowledged.
    const child = Bun.spawn(["bun", join(import.meta.dir, "recall-child.ts"), storeDir, positionsPath, file], { stdout: "pipe", stderr: "inherit" });
    let out = "";
    const reader = (async () => {
      for await (const c of child.stdout) out += dec.decode(c);
    })();
    await until(() => out.split("\n").includes("100"), { what: "the first 100 lines stored" });
    appendFileSync(file, lines.slice(100, 200).join("\n") + "\n");
    await until(() => out.split("\n").includes("200"), { what: "100 more lines stored (never acknowledged)" });
    child.kill("SIGKILL");
    await child.exited;
    await reader;

    // Second life on the same store and positions, with the stores' answer.
    appendFileSync(file, lines.slice(200).join("\n") + "\n");
    const store = await openFileStore(storeDir, { name: "test" });
    const positions = new PositionStore(positionsPath);
    const events: string[] = [];
    const pipeline = new IngestPipeline({ append: (rs) => store.append(rs).then(() => {}) });
    const config = { id: "t", type: "tail", listen: [`file://${file}`], options: { start: "beginning", pollMs: 20, scanMs: 50 } };
    const r = createReceiver(config, { pipeline, positions, recall: storeRecall(() => [store]), onEvent: (e) => events.push(`${e.kind}: ${e.message}`) });
    await r.start();
    const raws = () => {
      const out: string[] = [];
      for (const m of store.chunks()) {
        const reader = store.open(m.id);
        for (let i = 0; i < reader.count(); i++) out.push(dec.decode(reader.record(i).raw));
        reader.close();
      }
      return out;
    };
    await until(() => raws().length >= 300, { what: "all 300 lines", pollMs: 5 });
    await Bun.sleep(100);
    await r.stop();
    await pipeline.drain();
    positions.close();
    const stored = raws();
    await store.close();
    expect({ stored, resumed: events.filter((e) => e.startsWith("resumed")) }).toEqual({
      stored: lines,
      resumed: ["resumed: resuming after an unclean stop: 1 read window(s) were in flight, the stores held 100 of their records (read again: the rest)"],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
