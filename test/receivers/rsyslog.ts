/**
 * Runs a private rsyslogd (`rsyslogd -n -f CONF -i PIDFILE`) as a real syslog/RELP client:
 * input from its own imuxsock socket in a temp dir (fed by `logger -u`), output by the actions
 * the test passes. Dispose stops it and removes the dir.
 */

import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "../support/until.ts";

export interface Rsyslog extends AsyncDisposable {
  dir: string;
  /** Sends each line as one message through rsyslog's socket. */
  send(lines: string[], tag?: string): void;
}

/** True when rsyslogd and its omrelp module are installed. */
export function haveRsyslog(): boolean {
  return rsyslogdPath() !== null;
}

function rsyslogdPath(): string | null {
  return Bun.which("rsyslogd", { PATH: `${process.env.PATH ?? ""}:/usr/sbin:/sbin` });
}

/** True when the omrelp output module is installed (Debian package rsyslog-relp). */
export function haveOmrelp(): boolean {
  return ["/usr/lib/x86_64-linux-gnu/rsyslog/omrelp.so", "/usr/lib/aarch64-linux-gnu/rsyslog/omrelp.so", "/usr/lib/rsyslog/omrelp.so"].some(existsSync);
}

export async function startRsyslog(actions: string): Promise<Rsyslog> {
  const dir = mkdtempSync(join(tmpdir(), "gastrolog-rsyslog-"));
  const sock = join(dir, "log.sock");
  const conf = join(dir, "rsyslog.conf");
  writeFileSync(
    conf,
    [
      `global(workDirectory="${dir}")`,
      `module(load="imuxsock" SysSock.Use="off")`,
      `input(type="imuxsock" Socket="${sock}" CreatePath="on" RateLimit.Interval="0")`,
      actions,
      "",
    ].join("\n"),
  );
  const rsyslogd = rsyslogdPath()!;
  const proc = Bun.spawn([rsyslogd, "-n", "-f", conf, "-i", join(dir, "rsyslogd.pid")], { stdout: "ignore", stderr: "pipe" });
  // A start failure is reported just below, with rsyslogd's stderr.
  await until(() => existsSync(sock) || proc.exitCode !== null, { what: "rsyslogd's socket", timeoutMs: 5000, pollMs: 10 }).catch(() => {});
  if (!existsSync(sock)) {
    proc.kill();
    const err = await new Response(proc.stderr).text();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`rsyslogd did not start: ${err}`);
  }
  return {
    dir,
    send(lines, tag = "relptest") {
      const p = Bun.spawnSync(["logger", "-u", sock, "-t", tag], { stdin: Buffer.from(lines.join("\n") + "\n"), stderr: "pipe" });
      if (p.exitCode !== 0) throw new Error(`logger -u failed: ${p.stderr.toString()}`);
    },
    async [Symbol.asyncDispose]() {
      proc.kill("SIGTERM");
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
