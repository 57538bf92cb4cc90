/**
 * The kubernetes receiver on the CRI files containerd wrote (copied captures: full and partial
 * lines, an unterminated last line, a 40 KB line as P records then F, a kubelet rotation),
 * laid out as /var/log/pods with the /var/log/containers symlinks kubelet makes; then more
 * kubelet-style rotations while it runs (rename to `0.log.<date>`, a new `0.log`, the older
 * rotation compressed). Every line exactly once, with its pod attrs.
 */

import { describe, expect, test } from "bun:test";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { LogRecord } from "../../../core/record.ts";
import { PositionStore } from "../../checkpoint/positions.ts";
import { storeAppender } from "../../pipeline/appender.ts";
import { IngestPipeline } from "../../pipeline/pipeline.ts";
import { tempStore } from "../../test-support.ts";
import { createReceiver } from "../registry.ts";
import { CriDecoder } from "./cri.ts";
import { RecordAssembler } from "../../files/assembler.ts";
import { ReceiverCounters } from "../../pipeline/counters.ts";
import { until } from "../../../../test/support/until.ts";

const dec = new TextDecoder();
const CAPTURES = resolve(import.meta.dir, "../../../../test/fixtures/captures/kubernetes/var-log-pods");
const ID = { app: "a".repeat(64), big: "b".repeat(64), rot: "c".repeat(64) };

/** /var/log/pods from the captures and /var/log/containers links, in a temp dir. */
function layout(): string {
  const root = mkdtempSync(join(tmpdir(), "k8s-"));
  cpSync(CAPTURES, join(root, "pods"), { recursive: true });
  mkdirSync(join(root, "containers"));
  for (const [c, id] of Object.entries(ID)) symlinkSync(`../pods/default_pod-${c}_uid-${c}/${c}/0.log`, join(root, "containers", `pod-${c}_default_${c}-${id}.log`));
  return root;
}

async function run(source: string, body: (records: () => LogRecord[], waitFor: (n: number) => Promise<void>) => Promise<void>): Promise<void> {
  await using temp = await tempStore("k8s-store-");
  const pipeline = new IngestPipeline(storeAppender(temp.store));
  const positions = new PositionStore(":memory:");
  const r = createReceiver({ id: "k1", type: "kubernetes", listen: [source], options: { start: "beginning", readRotated: true, pollMs: 20, scanMs: 50, flushMs: 100, rotateWaitMs: 100 } }, { pipeline, positions });
  await r.start();
  try {
    await body(
      () => temp.records(),
      async (n) => {
        await until(() => temp.records().length >= n, { what: `${n} records`, detail: () => `${temp.records().length} stored: ${temp.records().map((x) => dec.decode(x.raw).slice(0, 40)).join(" | ")}` });
      },
    );
  } finally {
    await r.stop();
    await pipeline.drain();
    positions.close();
  }
}

const rotLines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `rot line ${from + i}`);

describe("captured containerd CRI files", () => {
  test("/var/log/pods: partial lines joined, pod attrs and container ids, then kubelet rotations", async () => {
    const root = layout();
    try {
      await run(`file://${join(root, "pods")}`, async (records, waitFor) => {
        await waitFor(4 + 4 + 12);
        const rot = join(root, "pods/default_pod-rot_uid-rot/rot");
        // kubelet: rename the live file, start a new one; the older rotation gets compressed.
        appendFileSync(join(rot, "0.log"), "2026-11-26T20:52:44.000000001Z stdout F rot line 12\n");
        renameSync(join(rot, "0.log"), join(rot, "0.log.20261126-205244"));
        writeFileSync(join(rot, "0.log"), "2026-11-26T20:52:45.1Z stderr F rot line 13\n");
        writeFileSync(join(rot, "0.log.20261126-000000.gz"), gzipSync(readFileSync(join(rot, "0.log.20261126-000000"))));
        unlinkSync(join(rot, "0.log.20261126-000000"));
        await waitFor(22);
        await Bun.sleep(200);
        const byPod = (pod: string) => records().filter((r) => r.attrs.pod === pod);
        const bigLines = dec.decode(readFileSync(join(CAPTURES, "default_pod-big_uid-big/big/0.log"))).trim().split("\n");
        const bigText = bigLines.slice(0, 3).map((l) => l.slice(l.indexOf(" P ") >= 0 ? l.indexOf(" P ") + 3 : l.indexOf(" F ") + 3)).join("");
        expect({
          app: byPod("pod-app").map((r) => [dec.decode(r.raw), r.attrs.stream]),
          big: byPod("pod-big").map((r) => dec.decode(r.raw)),
          rot: byPod("pod-rot").map((r) => dec.decode(r.raw)).sort(),
          attrs: byPod("pod-app")[0]!.attrs,
          sourceTs: byPod("pod-app")[0]!.sourceTs,
        }).toEqual({
          app: [
            ["cri stdout line", "stdout"],
            ['{"level":"info","msg":"json in cri"}', "stdout"],
            ["cri stderr line", "stderr"],
            ["no trailing newline", "stdout"],
          ],
          big: [bigText, "after-big", "été utf8", "tab\there"],
          rot: rotLines(0, 14).sort(),
          attrs: { receiver: "k1", namespace: "default", pod: "pod-app", pod_uid: "uid-app", container: "app", container_id: ID.app, restart: "0", stream: "stdout" },
          sourceTs: Date.UTC(2026, 10, 26, 20, 52, 50) * 1000 + 345939,
        });
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("/var/log/containers: the symlinks, attrs from their names", async () => {
    const root = layout();
    try {
      await run(`file://${join(root, "containers")}`, async (records, waitFor) => {
        await waitFor(4 + 4 + 6);
        const a = records().find((r) => r.attrs.pod === "pod-app")!.attrs;
        expect(a).toEqual({ receiver: "k1", namespace: "default", pod: "pod-app", container: "app", container_id: ID.app, stream: "stdout" });
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

test("lines that are not CRI are kept with parse_error and counted", () => {
  const counters = new ReceiverCounters();
  const a = new RecordAssembler(undefined, 1 << 20);
  const d = new CriDecoder(a, (s) => ({ s }), counters);
  for (const line of ["garbage", "2026-11-26T20:52:50Z stdout", "2026-11-26T20:52:50Z stdout F", "2026-11-26T20:52:50Z stdout F "]) {
    const b = new TextEncoder().encode(line);
    d.line(b, 0, b.length, 0, b.length + 1);
  }
  expect({ out: a.out.map((r) => [dec.decode(r.raw), r.attrs.parse_error ?? ""]), parseErrors: counters.parseErrors }).toEqual({
    out: [
      ["garbage", "not a CRI log line"],
      ["2026-11-26T20:52:50Z stdout", "not a CRI log line"],
      ["", ""],
      ["", ""],
    ],
    parseErrors: 2,
  });
});
