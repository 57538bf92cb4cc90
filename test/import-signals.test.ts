/**
 * SIGINT/SIGTERM during `gastrolog import`, compiled binary (issue 10, item 11): the import
 * stops reading, stores what it read, prints the summary and where it stopped (file, line,
 * byte, the command to resume), exits 130/143 and leaves no partial segment; a second signal
 * exits at once; `--resume` completes the file exactly, on the store files and through a
 * server; resuming a finished import does nothing. (SIGKILL: import-kill.test.ts.)
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCorpus } from "../scripts/gen-corpus.ts";
import { until } from "./support/until.ts";
import { gastrologBinary, runBinary } from "./support/binary.ts";
import { startServe } from "./support/server.ts";

const LINES = 60_000;
let dir = "";
let file = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "import-sig-"));
  file = join(dir, "app.log");
  const parts: Uint8Array[] = [];
  generateCorpus(7, LINES, (b) => parts.push(b.slice()));
  await Bun.write(file, Buffer.concat(parts));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Checkpoint {
  records: number;
  state: string;
  position: { file: number; line: number; byte: number };
}

function checkpoint(data: string, store = "default"): Checkpoint | undefined {
  try {
    return JSON.parse(readFileSync(join(data, "imports", `${store}.json`), "utf8")) as Checkpoint;
  } catch {
    return undefined;
  }
}

/** Starts an import and waits until it acknowledged at least `records`. */
async function importUntil(data: string, records: number, extra: string[] = []) {
  const p = Bun.spawn([await gastrologBinary(), "import", "--batch", "2048", "--data", data, ...extra, file], { stdout: "pipe", stderr: "pipe" });
  await until(() => (checkpoint(data, extra[1])?.records ?? 0) >= records || p.exitCode !== null, { what: `${records} records acknowledged`, timeoutMs: 60_000 });
  return p;
}

async function finish(p: Bun.Subprocess<"ignore" | "pipe" | "inherit", "pipe", "pipe">) {
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code, out, err };
}

async function stored(data: string, store = "default"): Promise<number> {
  const out = join(dir, `count-${Math.random().toString(36).slice(2)}.json`);
  const p = Bun.spawn([await gastrologBinary(), "query", "--data", data, "--store", store, "--output", "json", ""], { stdout: Bun.file(out), stderr: "pipe" });
  expect(await p.exited).toBe(0);
  return readFileSync(out, "utf8").split("\n").filter(Boolean).length;
}

describe("import stopped by a signal", () => {
  test("SIGINT: summary, where it stopped, exit 130, nothing half-written; --resume completes it exactly", async () => {
    const data = join(dir, "int");
    const p = await importUntil(data, 4096);
    p.kill("SIGINT");
    const r = await finish(p);
    const cp = checkpoint(data)!;
    expect(r.code).toBe(130);
    expect({ state: cp.state, summary: r.out.includes(`records     ${cp.records} `) }).toEqual({ state: "stopped", summary: true });
    expect(r.err).toBe(
      "gastrolog import: SIGINT received: storing what was read, then stopping (send it again to exit at once)\n" +
        `gastrolog import: stopped by SIGINT; ${cp.records} records stored; stored through line ${cp.position.line} of ${file} (byte ${cp.position.byte})\n` +
        `resume with: gastrolog import --data ${data} --store default --resume\n`,
    );
    expect(readFileSync(file).subarray(0, cp.position.byte).toString().split("\n").length - 1).toBe(cp.position.line);
    const store = join(data, "stores", "default");
    expect({ tmp: readdirSync(join(store, "sealed")).filter((n) => n.endsWith(".tmp")), active: readdirSync(join(store, "active")).length <= 1 }).toEqual({ tmp: [], active: true });
    expect(await stored(data)).toBe(cp.records);
    const resumed = await runBinary(["import", "-q", "--data", data, "--resume"]);
    expect({ code: resumed.code, err: resumed.stderr }).toEqual({ code: 0, err: `gastrolog import: resuming ${file} after line ${cp.position.line} (byte ${cp.position.byte}); ${cp.records} records stored before\n` });
    expect(await stored(data)).toBe(LINES);
    const again = await runBinary(["import", "--data", data, "--resume"]);
    expect({ code: again.code, out: again.stdout }).toEqual({ code: 0, out: `nothing to resume: the import of ${file} into store 'default' finished (${LINES} records)\n` });
  }, 120_000);

  test("standard input waiting for more: SIGTERM stops at once, every complete line read is stored", async () => {
    const data = join(dir, "stdin");
    const p = Bun.spawn([await gastrologBinary(), "import", "-q", "--batch", "100", "--data", data, "-"], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    p.stdin.write(Array.from({ length: 1000 }, (_, i) => `line ${i}\n`).join("") + "partial line without its newline");
    await p.stdin.flush();
    await until(() => (checkpoint(data)?.records ?? 0) >= 1000, { what: "1000 records acknowledged", timeoutMs: 30_000 });
    p.kill("SIGTERM");
    const r = await finish(p);
    expect({ code: r.code, state: checkpoint(data)?.state, tail: r.err.split("\n").slice(-3) }).toEqual({
      code: 143,
      state: "stopped",
      tail: [
        "gastrolog import: stopped by SIGTERM; 1000 records stored; stored through line 1000 of standard input (byte 8890)",
        `standard input cannot be resumed: feed it again from line 1001 (e.g. tail -n +1001 FILE | gastrolog import --data ${data} --store default -)`,
        "",
      ],
    });
    expect(await stored(data)).toBe(1000);
    p.stdin.end();
  });

  test("through a server: SIGTERM stops after every append in flight was acknowledged; --resume completes it exactly", async () => {
    const root = join(dir, "srv");
    const srv = await startServe(root);
    try {
      const p = await importUntil(srv.dataDir, 4096, ["--store", "web"]);
      p.kill("SIGTERM");
      const r = await finish(p);
      const cp = checkpoint(srv.dataDir, "web")!;
      expect({ code: r.code, state: cp.state, stopped: r.err.includes("gastrolog import: stopped by SIGTERM;") }).toEqual({ code: 143, state: "stopped", stopped: true });
      expect(await stored(srv.dataDir, "web")).toBe(cp.records);
      const resumed = await runBinary(["import", "-q", "--data", srv.dataDir, "--store", "web", "--resume"]);
      expect({ code: resumed.code, warned: resumed.stderr.includes("warning") }).toEqual({ code: 0, warned: false });
      expect(await stored(srv.dataDir, "web")).toBe(LINES);
    } finally {
      srv.proc.kill("SIGTERM");
      expect(await srv.exited).toBe(0);
    }
  }, 120_000);

  test.each([
    ["--resume with FILEs", ["--resume", "x.log"], 2, "--resume takes no FILE"],
    ["--resume with nothing to resume", ["--resume"], 1, "no import to resume for store 'default'"],
  ])("%s is refused", async (_name, args, code, message) => {
    const data = join(dir, "none");
    const r = await runBinary(["import", "--data", data, ...args]);
    expect({ code: r.code, message: r.stderr.includes(message), created: existsSync(data) }).toEqual({ code, message: true, created: false });
  });
});
