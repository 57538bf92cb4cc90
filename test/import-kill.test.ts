/**
 * Differential test of interrupted imports (issue 10, items 1 and 11), compiled binary: an
 * import of a generated file into a store with small chunks (seals in flight most of the
 * time) is killed with SIGKILL or SIGTERM at random points; then queries — the first one
 * recovers the store while it reads, one is itself killed mid-recovery — must all return
 * exactly the records the store committed: a prefix of the file, in order, each once, never
 * shorter than what the import acknowledged (its checkpoint) and at most one batch longer
 * (the append in flight; exactly the acknowledged prefix after SIGTERM, which also exits 143
 * and leaves no partial segment; odd rounds are SIGTERM, one of them with a seal in flight, and
 * every round checks the import was still running when signalled). `import --resume` then
 * completes the file exactly once.
 * KILL_ROUNDS and KILL_SEED explore more kill points.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCorpus, Prng } from "../scripts/gen-corpus.ts";
import { until } from "./support/until.ts";
import { gastrologBinary, runBinary } from "./support/binary.ts";

const LINES = 100_000;
const BATCH = 4096;
const ROUNDS = Number(process.env.KILL_ROUNDS ?? 4);
const SEED = Number(process.env.KILL_SEED ?? 20261202);

let dir = "";
let file = "";
let input: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "import-kill-"));
  file = join(dir, "big.log");
  const parts: Uint8Array[] = [];
  generateCorpus(SEED, LINES, (b) => parts.push(b.slice()));
  await Bun.write(file, Buffer.concat(parts));
  input = readFileSync(file, "utf8").split("\n");
  if (input.at(-1) === "") input.pop();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Records the import has acknowledged so far (its checkpoint), 0 before the first. */
function acked(data: string): number {
  try {
    return (JSON.parse(readFileSync(join(data, "imports", "default.json"), "utf8")) as { records: number }).records;
  } catch {
    return 0;
  }
}

/** Raw texts of every record of the store, in query order (stdout to a file: nothing lost in a pipe). */
async function queryAll(data: string, out: string): Promise<string[]> {
  const p = Bun.spawn([await gastrologBinary(), "query", "--data", data, "--output", "json", ""], { stdout: Bun.file(out), stderr: "pipe" });
  const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  expect({ code, err }).toEqual({ code: 0, err: "" });
  return readFileSync(out, "utf8").split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { raw: string }).raw);
}

/** Length of the prefix of the input `got` is; -1 when it is not one (order, loss, duplicates). */
function prefixLength(got: string[]): number {
  if (got.length > input.length) return -1;
  for (let i = 0; i < got.length; i++) if (got[i] !== input[i]) return -1;
  return got.length;
}

/** A chunk is being sealed while the next one fills. */
function sealing(data: string): boolean {
  try {
    return readdirSync(join(data, "stores", "default", "active")).length >= 2;
  } catch {
    return false;
  }
}

function leftovers(data: string): string[] {
  const store = join(data, "stores", "default");
  const sealed = existsSync(join(store, "sealed")) ? readdirSync(join(store, "sealed")).filter((n) => n.endsWith(".tmp")) : [];
  const active = existsSync(join(store, "active")) ? readdirSync(join(store, "active")) : [];
  return [...sealed, ...(active.length > 1 ? active : [])];
}

test(`interrupted imports: every query returns exactly the committed prefix, resume completes it (${ROUNDS} rounds, seed ${SEED})`, async () => {
  const rng = new Prng(SEED);
  const bin = await gastrologBinary();
  for (let round = 0; round < ROUNDS; round++) {
    // Odd rounds SIGTERM: round 1 at a random point, round 3 with a seal in flight (issue 10 item 11).
    const sig = round % 2 === 1 ? "SIGTERM" : "SIGKILL";
    const data = join(dir, `data-${round}`);
    expect((await runBinary(["config", "set", "--data", data, "stores[default].rotation.maxBytes=2MB"])).code).toBe(0);
    // Kill points: after a random number of acknowledged records (none in round 0), in half
    // the rounds only once a seal is in flight too (two active chunk directories), so recovery
    // has a chunk to reseal while the first query reads the sealed ones before it.
    const duringSeal = round % 4 >= 2;
    const target = round === 0 ? 0 : Math.floor(LINES * (duringSeal ? 0.35 : 0)) + (rng.u32() % Math.floor(LINES * 0.4));
    const imp = Bun.spawn([bin, "import", "-q", "--batch", String(BATCH), "--data", data, file], { stdout: "pipe", stderr: "pipe" });
    await until(() => (acked(data) >= target && (!duringSeal || sealing(data))) || imp.exitCode !== null, { what: "the import to reach its kill point", timeoutMs: 60_000 });
    await Bun.sleep(rng.u32() % 60); // jitter: land anywhere in an append or a seal, not just after a checkpoint
    // An import that ended before its kill point (kill points stop at 3/4 of a ~2 s import) would
    // leave the round's interruption unchecked: it must still be running when signalled.
    const running = imp.exitCode === null;
    imp.kill(sig);
    const [code, err] = await Promise.all([imp.exited, new Response(imp.stderr).text()]);
    const ack = acked(data);
    const ctx = { round, sig, target, duringSeal, running, code, ack };
    expect(ctx).toEqual({ ...ctx, running: true, code: sig === "SIGTERM" ? 143 : 137 });
    if (process.env.KILL_LOG) console.error(JSON.stringify(ctx));

    const first = prefixLength(await queryAll(data, join(dir, `q${round}a.json`)));
    expect({ ...ctx, ok: first >= ack && first <= ack + BATCH }).toEqual({ ...ctx, ok: true });
    if (sig === "SIGTERM") {
      expect({ ...ctx, first, stopped: err.includes("stopped by SIGTERM") && err.includes("--resume"), leftovers: leftovers(data) }).toEqual({ ...ctx, first: ack, stopped: true, leftovers: [] });
    }
    const victim = Bun.spawn([bin, "query", "--data", data, ""], { stdout: "ignore", stderr: "ignore" });
    await Bun.sleep(rng.u32() % 150);
    victim.kill("SIGKILL");
    await victim.exited;
    expect({ ...ctx, again: prefixLength(await queryAll(data, join(dir, `q${round}b.json`))) }).toEqual({ ...ctx, again: first });

    // Killed before its checkpoint was first written, the import stored nothing: start afresh.
    const started = existsSync(join(data, "imports", "default.json"));
    const resumed = await runBinary(["import", "-q", "--data", data, ...(started ? ["--resume"] : [file])]);
    expect({ ...ctx, resumed: resumed.code, err: resumed.stderr.replace(/^gastrolog import: resuming .*\n/, "") }).toEqual({ ...ctx, resumed: 0, err: "" });
    expect({ ...ctx, all: prefixLength(await queryAll(data, join(dir, `q${round}c.json`))) }).toEqual({ ...ctx, all: LINES });
    rmSync(data, { recursive: true, force: true });
  }
}, 240_000);
