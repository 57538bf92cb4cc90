/**
 * `gastrolog health`: probes a running server's /readyz (or /healthz with --live) and exits 0
 * when it answers 200, 1 otherwise. Made for places without a shell or curl: the distroless
 * image's HEALTHCHECK, systemd ExecStartPost, scripts. Plain HTTP GET, no RPC.
 */

import { errorMessage, LogError } from "../../core/errors.ts";
import { stringFlag } from "../cli/args.ts";
import type { Command } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { defaultDataDir } from "../paths.ts";
import { httpBase, runningServer } from "../server/server-info.ts";

/** A probe that takes longer than this counts as failed (Docker's own timeout is longer). */
const PROBE_TIMEOUT_MS = 5000;

/** Where to send the GET: an http(s) base URL, or a Unix socket path. */
interface ProbeTarget {
  url: string;
  socket?: string;
  label: string;
}

function targetOf(addr: string | undefined, dataDir: string): ProbeTarget {
  if (addr === undefined) {
    const s = runningServer(dataDir);
    if (!s) throw new LogError("unavailable", `no server is running on ${dataDir} (no live ${dataDir}/server.json); pass --addr`);
    if (s.http !== "") return targetOf(httpBase(s), dataDir);
    return targetOf(s.socket, dataDir);
  }
  if (/^https?:\/\//.test(addr)) {
    const url = addr.replace(/\/+$/, "");
    return { url, label: url };
  }
  const socket = addr.startsWith("unix:") ? addr.slice("unix:".length) : addr;
  if (socket === "" || !(socket.includes("/") || socket.endsWith(".sock"))) {
    throw new LogError("invalid_argument", `--addr '${addr}' is not http(s)://host:port, unix:PATH or a socket path`);
  }
  return { url: "http://localhost", socket, label: `unix:${socket}` };
}

export const healthCommand: Command = {
  name: "health",
  summary: "Probe a running server: exit 0 when it is ready (or alive, with --live).",
  usage: "[--addr ADDRESS | --data DIR] [--live]",
  details:
    "GETs /readyz (200 once the stores are open and every receiver tried to bind; 503 while\n" +
    "starting or draining) or, with --live, /healthz (200 while the process runs), prints the\n" +
    "answer and exits 0 on 200, 1 otherwise. Needs no shell, so a distroless container can use\n" +
    "it as its HEALTHCHECK:  gastrolog health --addr http://127.0.0.1:4564",
  flags: [
    { name: "addr", short: "a", kind: "string", value: "ADDRESS", description: "http(s)://host:port, unix:PATH or a socket path.", default: "the server holding --data" },
    DATA_FLAG,
    { name: "live", kind: "boolean", description: "Probe liveness (/healthz) instead of readiness (/readyz)." },
  ],
  async run(args, io) {
    const t = targetOf(stringFlag(args, "addr"), stringFlag(args, "data") ?? defaultDataDir(io.env));
    const path = args.flags.live === true ? "/healthz" : "/readyz";
    let res: Response;
    try {
      res = await fetch(t.url + path, { unix: t.socket, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    } catch (err) {
      io.stderr(`gastrolog health: no answer from ${t.label}${path}: ${errorMessage(err)}\n`);
      return 1;
    }
    const body = (await res.text()).trim();
    io.stdout(`${t.label}${path}: ${res.status} ${body}\n`);
    return res.status === 200 ? 0 : 1;
  },
};
