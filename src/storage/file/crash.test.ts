/**
 * Crash safety under kill -9: a child process appends numbered records in a loop (rotation
 * and worker seals included) and prints the count after every resolved append; we SIGKILL it
 * after a random number of acks, several times, and check that each restart finds at least
 * every acked record and that the final store holds exactly records 0..N-1, intact, in order.
 */

import { expect, test } from "bun:test";
import { join } from "node:path";
import { openFileStore } from "./open-store.ts";
import { contents, expected, tempDir } from "./test-helpers.ts";

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
