/**
 * Crash safety under kill -9: a child process appends numbered records in a loop (rotation
 * and worker seals included) and prints the count after every resolved append; we SIGKILL it
 * after a random number of acks, several times, and check that each restart finds at least
 * every acked record and that the final store holds exactly records 0..N-1, intact, in order.
 * Then the rotation window, without timing: an fsync of the old chunk held back while the new
 * chunk commits, and the directory copied as a kill -9 would leave it.
 */

import { expect, test } from "bun:test";
import { cpSync } from "node:fs";
import { basename, join } from "node:path";
import type { FileSync } from "./active-chunk.ts";
import { ACTIVE_DIR, LOCK_FILE, RAW_FILE } from "./format.ts";
import { openFileStore } from "./open-store.ts";
import { contents, expected, numbered, tempDir } from "./test-helpers.ts";

const child = join(import.meta.dir, "store-child.ts");

/** Runs one child until it has printed `acks` acks, then kills it; returns start count and last ack. */
async function runAndKill(dir: string, seed: number, acks: number): Promise<{ start: number; acked: number }> {
  const p = Bun.spawn(["bun", child, "append", dir, String(seed)], { stdout: "pipe", stderr: "inherit" });
  const reader = p.stdout.getReader();
  const dec = new TextDecoder();
  let buf = "";
  let start = -1;
  let acked = -1;
  let seen = 0;
  while (seen < acks) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value);
    const lines = buf.split("\n");
    buf = lines.pop()!;
    for (const l of lines) {
      const [kind, n] = l.split(" ");
      if (kind === "start") start = Number(n);
      if (kind === "acked") {
        acked = Number(n);
        seen++;
      }
    }
  }
  p.kill("SIGKILL");
  await p.exited;
  return { start, acked };
}

test("kill -9 at random points never loses an acked record", async () => {
  using tmp = tempDir();
  let maxAcked = 0;
  const starts: boolean[] = [];
  let rng = 42;
  for (let run = 0; run < 8; run++) {
    rng = (rng * 48271) % 2147483647;
    const { start, acked } = await runAndKill(tmp.path, rng, 1 + (rng % 60));
    starts.push(start >= maxAcked);
    maxAcked = Math.max(maxAcked, acked);
  }
  const s = await openFileStore(tmp.path);
  await s.idle();
  const total = s.chunks().reduce((n, m) => n + m.records, 0);
  const states = s.chunks().map((m) => m.state);
  expect({ starts, enough: total >= maxAcked, bad: states.filter((x) => x !== "sealed" && x !== "active") }).toEqual({
    starts: Array(8).fill(true),
    enough: true,
    bad: [],
  });
  expect(contents(s)).toEqual(expected(0, total));
  await s.close();
}, 20_000);

/**
 * An fsync stand-in: every sync resolves at once (a crash copy is taken from what the files
 * hold, as after kill -9), except those of files under `held`, which wait for release().
 * Nothing then waits on I/O, so whatever follows a sync runs within the same event-loop turn.
 */
class SyncGate {
  held: string | undefined;
  private readonly waiting: (() => void)[] = [];
  private readonly watchers: { match: (path: string) => boolean; seen: () => void }[] = [];

  readonly sync: FileSync = (_fd, path) => {
    for (const w of this.watchers.filter((w) => w.match(path))) {
      this.watchers.splice(this.watchers.indexOf(w), 1);
      w.seen();
    }
    if (this.held === undefined || !path.startsWith(this.held)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  };

  /** Resolves at the first sync of a path that `match`es. */
  called(match: (path: string) => boolean): Promise<void> {
    return new Promise((seen) => this.watchers.push({ match, seen }));
  }

  release(): void {
    this.held = undefined;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

/** Lets the event loop run what is ready (with SyncGate: everything not held back). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test("a crash while the older chunk's last commit syncs leaves a prefix of what was sent", async () => {
  // Records 0,1 are committed in a chunk of at most 3 before each case; then the old chunk's
  // raw fsync is held while the appends below run, so record 2 is staged but not committed.
  const cases: { name: string; appends: number[][] }[] = [
    { name: "one append crossing the rotation", appends: [[2, 3, 4]] },
    { name: "a second append rotating while the first commits", appends: [[2], [3, 4]] },
    { name: "an append into the new chunk after one crossing the rotation", appends: [[2, 3], [4]] },
  ];
  const got = [];
  for (const c of cases) {
    using tmp = tempDir();
    using crashed = tempDir();
    const gate = new SyncGate();
    const s = await openFileStore(tmp.path, { rotation: { maxRecords: 3 }, sync: gate.sync });
    const [first] = await s.append([numbered(0), numbered(1)]);
    const oldDir = join(tmp.path, ACTIVE_DIR, first!.chunk);
    gate.held = oldDir;
    const newChunkSynced = gate.called((p) => !p.startsWith(oldDir) && basename(p) === RAW_FILE);
    let acked = 2; // the last record of the resolved appends, plus one
    const pending = c.appends.map((batch) => s.append(batch.map(numbered)).then(() => (acked = Math.max(acked, batch.at(-1)! + 1))));
    await newChunkSynced;
    await nextTurn();
    cpSync(tmp.path, crashed.path, { recursive: true, filter: (src) => basename(src) !== LOCK_FILE });
    const ackedAtCrash = acked;
    gate.release();
    await Promise.all(pending);
    const live = contents(s);
    await s.close();
    const r = await openFileStore(crashed.path);
    const recovered = contents(r);
    await r.close();
    got.push({
      name: c.name,
      recovered: recovered.map((x) => x.ingestTs - 1),
      prefix: Bun.deepEquals(recovered, expected(0, recovered.length)),
      throughAcked: recovered.length >= ackedAtCrash,
      live: Bun.deepEquals(live, expected(0, 5)),
    });
  }
  // Record 2 never became durable, so nothing after it may have.
  expect(got).toEqual(cases.map((c) => ({ name: c.name, recovered: [0, 1], prefix: true, throughAcked: true, live: true })));
});
