/**
 * The tail receiver of the compiled server against real logrotate, while a writer appends at
 * a steady rate to two files: one rotated with create+compress+delaycompress (renamed away;
 * the writer keeps writing to the old inode until it reopens, as after a postrotate HUP), one
 * with copytruncate+dateext (truncated in place under the writer's O_APPEND descriptor). The
 * server is killed with SIGKILL mid-file, a rotation happens while it is down, and it restarts.
 * Every line must be stored exactly once. The only exception is copytruncate's documented gap:
 * a line written between logrotate's copy and its truncate exists in no file afterwards; such
 * lines may be missing (and are counted), never duplicated.
 */

import { expect, test } from "bun:test";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createClient } from "@connectrpc/connect";
import { QueryService } from "../../src/api/gen/gastrolog/v1/query_pb.ts";
import { socketTransport } from "../../src/api/transports.ts";
import { serverDir, startServe, type ServeProc } from "../support/server.ts";
import { hasCommand, run } from "./support.ts";
import { until } from "../support/until.ts";

const LOGROTATE = ["/usr/sbin/logrotate", "logrotate"].find((c) => c.startsWith("/") ? existsSync(c) : hasCommand(c));
const dec = new TextDecoder();
const SEQ = /^(create|ct) seq=(\d{7}) /;

/** Sequence numbers per mode found in `lines`. */
function seqs(lines: Iterable<string>): Record<"create" | "ct", number[]> {
  const out = { create: [] as number[], ct: [] as number[] };
  for (const l of lines) {
    const m = SEQ.exec(l);
    if (m) out[m[1] as "create" | "ct"].push(Number(m[2]));
  }
  return out;
}

async function stored(s: ServeProc): Promise<string[]> {
  const out: string[] = [];
  for await (const m of createClient(QueryService, socketTransport(s.socket)).search({ query: {} })) for (const h of m.hits) out.push(dec.decode(h.record!.raw));
  return out;
}

/** The lines of every file on disk now (live files, rotated copies, compressed rotations). */
function onDisk(dir: string): string[][] {
  return readdirSync(dir)
    .filter((name) => name.startsWith("app-"))
    .map((name) => {
      const bytes = readFileSync(join(dir, name));
      return dec.decode(name.endsWith(".gz") ? gunzipSync(bytes) : bytes).split("\n");
    });
}

/**
 * Sequence numbers between two consecutive copytruncate files (after the last line of one
 * copy, before the first line of the next file): the only ones logrotate can have lost.
 */
function copytruncateGaps(files: string[][]): (s: number) => boolean {
  const ranges = files.map((f) => seqs(f).ct).filter((xs) => xs.length > 0).map((xs) => [Math.min(...xs), Math.max(...xs)] as const);
  ranges.sort((a, b) => a[0] - b[0]);
  return (s) => ranges.some((r, i) => i + 1 < ranges.length && s > r[1] && s < ranges[i + 1]![0]);
}

/** Appends numbered lines to both files at a steady rate; `reopen()` is the postrotate HUP. */
class Writer {
  readonly next = { create: 0, ct: 0 };
  private fds: Record<"create" | "ct", number>;
  private timer: ReturnType<typeof setInterval>;

  constructor(private readonly dir: string) {
    this.fds = { create: openSync(join(dir, "app-create.log"), "a"), ct: openSync(join(dir, "app-ct.log"), "a") };
    this.timer = setInterval(() => {
      for (const mode of ["create", "ct"] as const) {
        let text = "";
        for (let i = 0; i < 5; i++) text += `${mode} seq=${String(this.next[mode]++).padStart(7, "0")} ${"x".repeat(40)}\n`;
        writeSync(this.fds[mode], text);
      }
    }, 5);
  }

  reopen(): void {
    closeSync(this.fds.create);
    this.fds.create = openSync(join(this.dir, "app-create.log"), "a");
  }

  stop(): void {
    clearInterval(this.timer);
    closeSync(this.fds.create);
    closeSync(this.fds.ct);
  }
}

function counts(xs: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

test.skipIf(LOGROTATE === undefined)("logrotate create+compress+delaycompress and copytruncate+dateext under a steady writer, SIGKILL mid-file: every line once (needs logrotate)", async () => {
  const { dir, cleanup } = serverDir();
  const logs = join(dir, "logs");
  mkdirSync(logs);
  const conf = join(dir, "logrotate.conf");
  writeFileSync(
    conf,
    `${logs}/app-create.log {\n  rotate 100\n  create 0640\n  compress\n  delaycompress\n  missingok\n}\n` +
      `${logs}/app-ct.log {\n  rotate 100\n  copytruncate\n  dateext\n  dateformat -%Y%m%d-%s\n  missingok\n}\n`,
  );
  const rotate = async (w: Writer) => {
    await run([LOGROTATE!, "-s", join(dir, "logrotate.state"), "-f", conf]);
    w.reopen();
  };
  const flag = ["--receiver", `tail=file://${logs}/app-*.log?start=beginning&rotateWaitMs=1000`];
  let srv: ServeProc | undefined;
  let writer: Writer | undefined;
  try {
    writer = new Writer(logs);
    srv = await startServe(dir, flag);
    // Rotations at least a second apart: dateext names copies by the second.
    for (let i = 0; i < 2; i++) {
      await Bun.sleep(1100);
      await rotate(writer);
    }
    await Bun.sleep(300);
    srv.proc.kill("SIGKILL");
    await srv.exited;
    await Bun.sleep(800);
    await rotate(writer);
    srv = await startServe(dir, flag);
    const resumed = srv.logs.find((l) => l.event === "resumed");
    console.log(`after SIGKILL: ${resumed ? String(resumed.msg) : "no window was in flight"}`);
    for (let i = 0; i < 2; i++) {
      await Bun.sleep(1100);
      await rotate(writer);
    }
    await Bun.sleep(300);
    writer.stop();
    const written = { ...writer.next };
    writer = undefined;
    const files = onDisk(logs);
    const disk = seqs(files.flat());
    const inGap = copytruncateGaps(files);
    const diskSet = { create: new Set(disk.create), ct: new Set(disk.ct) };
    const live = srv;
    let got = seqs(await stored(live));
    const complete = () => got.create.length >= written.create && [...diskSet.ct].every((s) => got.ct.includes(s));
    await until(
      async () => {
        got = seqs(await stored(live));
        return complete();
      },
      { what: "every written line stored", timeoutMs: 20_000, pollMs: 200, detail: () => `stored ${got.create.length} of ${written.create} create-mode lines and ${got.ct.length} copytruncate lines` },
    );
    const create = counts(got.create);
    const ct = counts(got.ct);
    const all = (n: number) => Array.from({ length: n }, (_, i) => i);
    const lostByCopytruncate = all(written.ct).filter((s) => !ct.has(s));
    console.log(
      `logrotate: create mode ${written.create} lines, copytruncate ${written.ct} lines; ` +
        `${lostByCopytruncate.length} copytruncate lines written between copy and truncate were in no file`,
    );
    expect({
      createMissing: all(written.create).filter((s) => !create.has(s)),
      createTwice: [...create].filter(([, n]) => n > 1).map(([s]) => s),
      ctTwice: [...ct].filter(([, n]) => n > 1).map(([s]) => s),
      ctOnDiskNotStored: [...diskSet.ct].filter((s) => !ct.has(s)),
      ctMissingButOnDisk: lostByCopytruncate.filter((s) => diskSet.ct.has(s)),
      ctMissingOutsideCopyTruncateGaps: lostByCopytruncate.filter((s) => !inGap(s)),
    }).toEqual({ createMissing: [], createTwice: [], ctTwice: [], ctOnDiskNotStored: [], ctMissingButOnDisk: [], ctMissingOutsideCopyTruncateGaps: [] });
  } finally {
    writer?.stop();
    if (srv) {
      srv.proc.kill("SIGKILL");
      await srv.exited;
    }
    if (process.env.KEEP_TEST_DIR) console.log(`kept ${dir}`);
    else cleanup();
  }
}, 60_000);
