/**
 * Runs the compiled `gastrolog serve` for whole-binary tests: temp data dir and socket, an
 * ephemeral HTTP port read back from the JSON "listening" log line, readiness from the
 * "ready" line (no sleeps), and helpers to signal it and collect its exit.
 */

import { afterAll, beforeAll, expect } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gastrologBinary } from "./binary.ts";

export interface ServeProc {
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  dataDir: string;
  socket: string;
  /** "127.0.0.1:PORT" */
  http: string;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line matching `pred` (already seen or future). */
  waitLog(pred: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<number>;
}

/** A temp dir for data and socket, removed by the returned cleanup. */
export function serverDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "srv-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts `serve` on `dir` (data in dir/data, socket dir/s.sock) and waits until ready; `binary`
 * defaults to the test process's fresh build.
 */
export async function startServe(dir: string, extra: string[] = [], binary?: string): Promise<ServeProc> {
  const dataDir = join(dir, "data");
  const socket = join(dir, "s.sock");
  const proc = Bun.spawn([binary ?? (await gastrologBinary()), "serve", "--data", dataDir, "--socket", socket, "--listen", "127.0.0.1:0", "--log-format", "json", "--log-level", "debug", ...extra], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const logs: Record<string, unknown>[] = [];
  const waiters: { pred: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  const exited = proc.exited;
  void (async () => {
    let buf = "";
    const dec = new TextDecoder();
    for await (const chunk of proc.stderr) {
      buf += dec.decode(chunk, { stream: true });
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let obj: Record<string, unknown>;
        try {
          obj = JSON.parse(line);
        } catch {
          obj = { msg: line, level: "raw" };
        }
        logs.push(obj);
        for (const w of waiters.filter((x) => x.pred(obj))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(obj);
        }
      }
    }
  })();
  const waitLog = (pred: (l: Record<string, unknown>) => boolean) => {
    const seen = logs.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      waiters.push({ pred, resolve });
      void exited.then((code) => reject(new Error(`server exited (${code}) before the expected log line; logs:\n${logs.map((l) => JSON.stringify(l)).join("\n")}`)));
    });
  };
  const listening = await waitLog((l) => l.msg === "listening");
  await waitLog((l) => l.msg === "ready");
  return { proc, dataDir, socket, http: String(listening.http), logs, waitLog, exited };
}

/**
 * One server for a whole test file: started before its tests (then `started` runs, e.g. to
 * keep it and load data), stopped after them with SIGTERM (exit 0 expected) and its directory
 * removed.
 */
export function serveDuringTests(extra: string[], started: (s: ServeProc) => void | Promise<void>): void {
  const { dir, cleanup } = serverDir();
  let srv: ServeProc | undefined;
  beforeAll(async () => {
    srv = await startServe(dir, extra);
    await started(srv);
  });
  afterAll(async () => {
    try {
      if (srv) {
        srv.proc.kill("SIGTERM");
        expect(await srv.exited).toBe(0);
      }
    } finally {
      cleanup();
    }
  });
}
