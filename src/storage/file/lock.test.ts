/** Directory lock: contention in one process and across processes, stale takeover, release. */

import { expect, test } from "bun:test";
import { join } from "node:path";
import { openFileStore } from "./open-store.ts";
import { tempDir } from "./test-helpers.ts";

const child = join(import.meta.dir, "store-child.ts");

async function firstLine(p: Bun.Subprocess<"ignore", "pipe", "inherit">): Promise<string> {
  const reader = p.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text.split("\n")[0]!;
}

test("a second open in the same process fails with locked; close releases the lock", async () => {
  using tmp = tempDir();
  const s = await openFileStore(tmp.path);
  const err = await openFileStore(tmp.path).catch((e) => e);
  expect({ code: err.code, pid: err.message.includes(`locked by pid ${process.pid}`) }).toEqual({ code: "locked", pid: true });
  await s.close();
  const again = await openFileStore(tmp.path);
  expect(again.recovery.notes).toEqual([]);
  await again.close();
});

test("another process is refused while this one holds the lock", async () => {
  using tmp = tempDir();
  const s = await openFileStore(tmp.path);
  const p = Bun.spawn(["bun", child, "try", tmp.path], { stdout: "pipe" });
  const reply = JSON.parse(await firstLine(p));
  await p.exited;
  await s.close();
  expect({ code: reply.code, mentionsPid: reply.message.includes(`pid ${process.pid}`) }).toEqual({ code: "locked", mentionsPid: true });
});

test("a lock held by a live child refuses us; once the child is killed the stale lock is taken over", async () => {
  using tmp = tempDir();
  const p = Bun.spawn(["bun", child, "hold", tmp.path], { stdout: "pipe" });
  expect(await firstLine(p)).toBe("open");
  const err = await openFileStore(tmp.path).catch((e) => e);
  expect({ code: err.code, mentionsPid: err.message.includes(`pid ${p.pid}`) }).toEqual({ code: "locked", mentionsPid: true });
  p.kill("SIGKILL");
  await p.exited;
  const s = await openFileStore(tmp.path);
  expect(s.recovery.notes.map((n) => [n.kind, n.detail.includes(`pid ${p.pid}`)])).toEqual([["stale_lock", true]]);
  await s.close();
});
