/**
 * The journald receiver and POST /upload against a real systemd-journald, started in a
 * private mount namespace (its /run is a tmpfs there, /run/log is a temp dir we can read, so
 * the host is untouched; ../shared/fixtures/peers/configs/journald-private-ns.sh), fed by
 * systemd-cat and `logger --journald` (a binary field included): `journalctl -D` on its
 * journal files with a restart resuming at the cursor, the local journal through journalctl
 * run inside the namespace, and systemd-journal-upload as the HTTP client. Needs root,
 * unshare/nsenter, systemd-journald and systemd-journal-remote; skips with the reason otherwise.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, startHarness, type Harness } from "./support.ts";
import { until } from "../support/until.ts";

const JOURNALD = "/lib/systemd/systemd-journald";
const UPLOAD = "/lib/systemd/systemd-journal-upload";
const missing = [
  process.getuid?.() === 0 ? "" : "root",
  existsSync(JOURNALD) ? "" : "systemd-journald",
  existsSync(UPLOAD) ? "" : "systemd-journal-remote (systemd-journal-upload)",
  Bun.which("unshare") && Bun.which("nsenter") ? "" : "unshare/nsenter",
  Bun.which("systemd-cat") ? "" : "systemd-cat",
].filter((m) => m !== "");
if (missing.length > 0) console.log(`journald tests skipped: needs ${missing.join(", ")}`);

const dec = new TextDecoder();
let dir = "";
let ns: Bun.Subprocess | undefined;

/** Runs `cmd` inside the journald namespace. */
function inNs(cmd: string[], input?: string): Promise<string> {
  return run(["nsenter", "-t", String(ns!.pid), "-m", ...cmd], input);
}

beforeAll(async () => {
  if (missing.length > 0) return;
  dir = mkdtempSync(join(tmpdir(), "journald-"));
  mkdirSync(join(dir, "log"));
  const script = [
    "set -e",
    "mount -t tmpfs tmpfs /run",
    "mkdir -p /run/systemd/journal /run/log",
    `mount --bind ${dir}/log /run/log`,
    `exec ${JOURNALD}`,
  ].join("\n");
  ns = Bun.spawn(["unshare", "-m", "--propagation", "private", "bash", "-c", script], { stdout: "ignore", stderr: "pipe", env: { ...process.env, SYSTEMD_LOG_LEVEL: "warning" } });
  await until(async () => (await inNs(["sh", "-c", "test -S /run/systemd/journal/socket && echo ok || true"])).trim() === "ok", { what: "journald's socket", timeoutMs: 15_000, pollMs: 20 });
  // A wrapper so the receiver's `journalctl` (the local journal) runs inside the namespace.
  writeFileSync(join(dir, "journalctl"), `#!/bin/sh\nexec nsenter -t ${ns.pid} -m journalctl "$@"\n`);
  chmodSync(join(dir, "journalctl"), 0o755);
}, 30_000);

afterAll(async () => {
  ns?.kill();
  await ns?.exited;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes messages through real clients: systemd-cat (stdout transport) and logger --journald. */
async function feed(tag: string, n: number): Promise<void> {
  await inNs(["systemd-cat", "-t", tag, "-p", "warning"], Array.from({ length: n }, (_, i) => `${tag} line ${i}`).join("\n") + "\n");
  await inNs(["logger", "--journald"], `MESSAGE=${tag} structured\nPRIORITY=3\nSYSLOG_IDENTIFIER=${tag}\nCUSTOM_FIELD=custom value\n`);
}

/** Raw texts of the records from one feed, sorted (journald may order two clients either way). */
const texts = (h: Harness, tag: string) =>
  h
    .records()
    .map((r) => dec.decode(r.raw))
    .filter((t) => t.startsWith(tag))
    .sort();
const journalDir = () => join(dir, "log", "journal");

describe.skipIf(missing.length > 0)("systemd-journald in a private mount namespace (needs root, systemd, systemd-journal-remote, util-linux)", () => {
  test("journalctl -D on its files: fields to attrs, binary-safe, resumed at the cursor after a restart", async () => {
    await using h = await startHarness({ type: "journald", listen: [`file://${journalDir()}`], options: { start: "beginning" } });
    await feed("jdA", 5);
    await inNs(["sh", "-c", "printf 'MESSAGE=jdA binary\\001field\\nSYSLOG_IDENTIFIER=jdA\\n' | logger --journald"]);
    await until(() => texts(h, "jdA").length === 7, { what: "7 jdA entries", timeoutMs: 15_000, pollMs: 20 });
    await h.receiver.stop();
    await h.pipeline.drain();
    await feed("jdB", 3);
    await h.receiver.start();
    await until(() => texts(h, "jdB").length === 4, { what: "4 jdB entries", timeoutMs: 15_000, pollMs: 20 });
    await feed("jdC", 1);
    await until(() => texts(h, "jdC").length === 2, { what: "2 jdC entries", timeoutMs: 15_000, pollMs: 20 });
    const all = h.records().map((r) => dec.decode(r.raw)).filter((t) => t.startsWith("jd"));
    const structured = h.records().find((r) => dec.decode(r.raw) === "jdA structured")!;
    expect({
      jdA: texts(h, "jdA"),
      jdB: texts(h, "jdB"),
      duplicates: all.length - new Set(all).size,
      structured: { level: structured.attrs.level, PRIORITY: structured.attrs.PRIORITY, CUSTOM_FIELD: structured.attrs.CUSTOM_FIELD, transport: structured.attrs._TRANSPORT },
      warning: h.records().find((r) => dec.decode(r.raw) === "jdA line 0")!.attrs.level,
    }).toEqual({
      jdA: ["jdA binary\u0001field", "jdA line 0", "jdA line 1", "jdA line 2", "jdA line 3", "jdA line 4", "jdA structured"],
      jdB: ["jdB line 0", "jdB line 1", "jdB line 2", "jdB structured"],
      duplicates: 0,
      structured: { level: "error", PRIORITY: "3", CUSTOM_FIELD: "custom value", transport: "journal" },
      warning: "warning",
    });
    expect(readdirSync(journalDir()).length).toBeGreaterThan(0);
  }, 30_000);

  test("journald=journalctl: the local journal, from its end on a first run", async () => {
    await feed("jdOld", 1);
    await using h = await startHarness({ type: "journald", listen: ["journalctl"], options: { journalctl: join(dir, "journalctl") } });
    // journalctl positions itself at the end a moment after it starts: wait until it follows.
    for (let i = 0; texts(h, "jdReady").length === 0; i++) {
      await inNs(["systemd-cat", "-t", "jdReady"], `jdReady ${i}\n`);
      await until(() => texts(h, "jdReady").length > 0, { what: "a marker", timeoutMs: 500, pollMs: 20 }).catch(() => {});
    }
    await feed("jdNew", 2);
    await until(() => texts(h, "jdNew").length === 3, { what: "3 jdNew entries", timeoutMs: 15_000, pollMs: 20 });
    expect({ old: texts(h, "jdOld"), fresh: texts(h, "jdNew") }).toEqual({ old: [], fresh: ["jdNew line 0", "jdNew line 1", "jdNew structured"] });
  }, 30_000);

  test("systemd-journal-upload POSTs /upload to the HTTP receiver", async () => {
    await feed("jdUp", 3);
    await using h = await startHarness({ type: "http", listen: ["http://127.0.0.1:0"] });
    const state = join(dir, "upload.state");
    await run([UPLOAD, "-u", `http://127.0.0.1:${h.port("http")}`, "-D", journalDir(), "--follow=no", `--save-state=${state}`]);
    await h.pipeline.drain();
    const up = h.records().filter((r) => dec.decode(r.raw).startsWith("jdUp"));
    expect({ texts: up.map((r) => dec.decode(r.raw)), attrs: { receiver: up[0]!.attrs.receiver, remote_ip: up[0]!.attrs.remote_ip, SYSLOG_IDENTIFIER: up[0]!.attrs.SYSLOG_IDENTIFIER, level: up[0]!.attrs.level } }).toEqual({
      texts: ["jdUp line 0", "jdUp line 1", "jdUp line 2", "jdUp structured"],
      attrs: { receiver: "r1", remote_ip: "127.0.0.1", SYSLOG_IDENTIFIER: "jdUp", level: "warning" },
    });
    expect(h.receiver.stats().acked).toBe(h.receiver.stats().stored);
    // The client saved its cursor after our 202; started again it resends its last entry,
    // which is recognised by its cursor and dropped as a duplicate.
    await feed("jdUp2", 1);
    await run([UPLOAD, "-u", `http://127.0.0.1:${h.port("http")}`, "-D", journalDir(), "--follow=no", `--save-state=${state}`]);
    await h.pipeline.drain();
    expect({ again: texts(h, "jdUp"), duplicates: h.receiver.stats().duplicates }).toEqual({
      again: ["jdUp line 0", "jdUp line 1", "jdUp line 2", "jdUp structured", "jdUp2 line 0", "jdUp2 structured"],
      duplicates: 1,
    });
  }, 30_000);
});
