/**
 * The reference for responsiveness measurements: a process that is as busy as a scanning
 * server ideally is — it burns CPU in 4 ms slices and yields to its event loop between them —
 * and answers GET /healthz (node:http, as the server) and RELP `syslog` frames on Bun.listen
 * (as the receivers), acknowledging after one event-loop hop (as the ingest queue flushes), with
 * nothing stored. Probing it on the same machine in the same run shows what a CPU-bound,
 * well-behaved event loop with the same I/O path achieves under the machine's current load.
 * Run: `bun test/support/busy-reference.ts`; prints `http=PORT relp=PORT`, runs until killed.
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const SLICE_MS = 4;

const http = createServer((_req, res) => res.end("ok\n"));
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));

const relp = Bun.listen<{ buf: string }>({
  hostname: "127.0.0.1",
  port: 0,
  socket: {
    open(s) {
      s.data = { buf: "" };
    },
    data(s, chunk) {
      s.data.buf += chunk.toString("latin1");
      for (;;) {
        const m = /^(\d+) (\w+) (\d+)[ \n]/.exec(s.data.buf);
        if (!m) return;
        const end = m[0].length + Number(m[3]) + (m[0].endsWith(" ") ? 1 : 0);
        if (s.data.buf.length < end) return;
        s.data.buf = s.data.buf.slice(end);
        const txnr = m[1];
        setImmediate(() => void Promise.resolve().then(() => s.write(`${txnr} rsp 6 200 OK\n`)));
      }
    },
  },
});

function burn(): void {
  const start = performance.now();
  while (performance.now() - start < SLICE_MS) {
    // busy, like a scan slice
  }
  setImmediate(burn);
}
burn();
console.log(`http=${(http.address() as AddressInfo).port} relp=${relp.port}`);
