/**
 * `gastrolog query --data` while `gastrolog import` writes the same store (compiled binary,
 * real processes): the import is fed through its stdin at the test's pace, so queries surely
 * run while it appends, rotates and seals. Every answer is a prefix of what was sent (in
 * order, each record once, never shrinking, never past what was sent), says once on stderr
 * that the store is being written, and leaves every file and directory of the store as it
 * was; the import's own result is unaffected. `repl --embedded --data`, which must write the
 * store, is refused at once, pointing to `query`. With the importer killed (-9), the next query
 * opens the store as its writer (no notice; recovery takes the stale lock over and releases it).
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { gastrologBinary, runBinary } from "./support/binary.ts";
import { until } from "./support/until.ts";

const LINES = 60_000;
/** Lines the test writes to the importer's stdin at a time (a multiple of BATCH: nothing waits in a partial batch). */
const PIECE = 2_000;
const BATCH = 1_000;
const line = (i: number) => `seq=${i} ${"x".repeat(i % 61)} user=u${i % 13}`;

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "query-during-import-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A data dir whose default store rotates at 512 KB, so the import seals while it is queried. */
async function dataDir(name: string): Promise<string> {
  const data = join(dir, name);
  expect((await runBinary(["config", "set", "--data", data, "stores[default].rotation.maxBytes=512KB"])).code).toBe(0);
  return data;
}

/** An import of stdin, `--batch BATCH`. */
async function startImport(data: string): Promise<Subprocess<"pipe", "pipe", "pipe">> {
  return Bun.spawn([await gastrologBinary(), "import", "-q", "--batch", String(BATCH), "--data", data, "-"], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
}

async function send(imp: Subprocess<"pipe", "pipe", "pipe">, from: number, to: number): Promise<void> {
  imp.stdin.write(Array.from({ length: to - from }, (_, k) => line(from + k)).join("\n") + "\n");
  await imp.stdin.flush();
}

/** Every record's seq, in query order, and what stderr said (stdout to a file: nothing lost in a pipe). */
async function queryAll(data: string, n: number): Promise<{ seqs: number[]; stderr: string }> {
  const out = join(dir, `q${n}.json`);
  const p = Bun.spawn([await gastrologBinary(), "query", "--data", data, "--output", "json", ""], { stdout: Bun.file(out), stderr: "pipe" });
  const [code, stderr] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  expect({ code, stderr }).toMatchObject({ code: 0 });
  const seqs = readFileSync(out, "utf8").split("\n").filter(Boolean).map((l) => Number(/^seq=(\d+) /.exec((JSON.parse(l) as { raw: string }).raw)![1]));
  rmSync(out);
  return { seqs, stderr };
}

/** True when `seqs` is 0, 1, 2, ... (a prefix of what was sent, each record once). */
function isPrefix(seqs: number[]): boolean {
  return seqs.every((s, i) => s === i);
}

const NOTICE = /^gastrolog query: store 'default' is being written by pid (\d+) \(since [^)]+\): results are as of now, without what it writes later\n$/;

/** Every file and directory under `root` (itself included) with its size, mtime and inode. */
function listing(root: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    out.push(`${p.slice(root.length) || "."} ${st.size} ${st.mtimeMs} ${st.ino}`);
    if (st.isDirectory()) for (const name of readdirSync(p).sort()) walk(join(p, name));
  };
  walk(root);
  return out;
}

test(`queries during an import of ${LINES} lines see a growing prefix and write nothing`, async () => {
  const data = await dataDir("live");
  const store = join(data, "stores", "default");
  const imp = await startImport(data);
  // The importer idle with records in its active chunk: a query changes no file of the store.
  await send(imp, 0, 5 * BATCH);
  await until(async () => (await queryAll(data, 0)).seqs.length === 5 * BATCH, { what: "the first records to be stored", timeoutMs: 30_000, pollMs: 100 });
  const before = listing(store);
  const idle = await queryAll(data, 1);
  const stats = await runBinary(["query", "--data", data, "| stats count() by user"]);
  // The embedded REPL runs the whole engine, which must write the store: refused, pointing to query.
  const repl = await runBinary(["repl", "--embedded", "--data", data, "-c", "status"]);
  expect({ idle: idle.seqs.length, prefix: isPrefix(idle.seqs), notice: NOTICE.exec(idle.stderr)?.[1], stats: stats.code, repl: repl.code, replSays: repl.stderr.includes(`store 'default' is being written by pid ${imp.pid}`) && repl.stderr.includes(`\`gastrolog query --data ${data}\``), listing: listing(store) }).toEqual({
    idle: 5 * BATCH,
    prefix: true,
    notice: String(imp.pid),
    stats: 0,
    repl: 1,
    replSays: true,
    listing: before,
  });

  // Queries while the rest is sent in pieces: each piece waits for a query to finish, so
  // several queries overlap appends, rotations and seals.
  let sent = 5 * BATCH;
  let queries = 0;
  const feeder = (async () => {
    while (sent < LINES) {
      const next = Math.min(LINES, sent + PIECE);
      await send(imp, sent, next);
      sent = next;
      const seen = queries;
      await until(() => queries > seen, { what: "a query between pieces", timeoutMs: 60_000 });
    }
    imp.stdin.end();
  })();
  const answers: { n: number; sentBefore: number; sentAfter: number; prefix: boolean; notices: number }[] = [];
  while (imp.exitCode === null) {
    const sentBefore = sent;
    const { seqs, stderr } = await queryAll(data, 2 + queries);
    answers.push({ n: seqs.length, sentBefore, sentAfter: sent, prefix: isPrefix(seqs), notices: stderr === "" ? 0 : NOTICE.test(stderr) ? 1 : -1 });
    queries++;
  }
  await feeder;
  const [code, stderr] = await Promise.all([imp.exited, new Response(imp.stderr).text()]);
  const last = await queryAll(data, 2 + queries);
  // Each answer: a prefix, not shorter than the one before, no longer than what had been sent.
  const bad = answers.filter((a, i) => !a.prefix || a.n > a.sentAfter || a.n < (answers[i - 1]?.n ?? 0) || a.notices < 0);
  const during = answers.filter((a) => a.notices === 1 && a.n > 5 * BATCH && a.n < LINES).length;
  expect({ bad, manyDuring: during >= 5, code, stderr, last: last.seqs.length, prefix: isPrefix(last.seqs), lastStderr: last.stderr, lock: existsSync(join(store, ".lock")) }).toEqual({
    bad: [],
    manyDuring: true,
    code: 0,
    stderr: "",
    last: LINES,
    prefix: true,
    lastStderr: "",
    lock: false,
  });
}, 240_000);

test("with the importer killed -9, a query opens the store as its writer and recovers it", async () => {
  const data = await dataDir("killed");
  const store = join(data, "stores", "default");
  const imp = await startImport(data);
  let sent = 0;
  for (; sent < 20 * PIECE; sent += PIECE) await send(imp, sent, sent + PIECE);
  await until(async () => (await queryAll(data, 100)).seqs.length >= 10 * PIECE, { what: "half of the records to be stored", timeoutMs: 60_000, pollMs: 100 });
  imp.kill("SIGKILL");
  await imp.exited;
  const lockBefore = existsSync(join(store, ".lock"));
  const after = await queryAll(data, 101);
  const again = await queryAll(data, 102);
  expect({ lockBefore, stderr: after.stderr, prefix: isPrefix(after.seqs), enough: after.seqs.length >= 10 * PIECE && after.seqs.length <= sent, lockAfter: existsSync(join(store, ".lock")), again: again.seqs.length }).toEqual({
    lockBefore: true,
    stderr: "",
    prefix: true,
    enough: true,
    lockAfter: false,
    again: after.seqs.length,
  });
}, 120_000);
