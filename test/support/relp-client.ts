/**
 * A minimal RELP client for measurements: opens a session and sends one syslog message at a
 * time, resolving when the server's `rsp 200` for it arrives (which a GastroLog server sends only
 * once the record is stored). Interop with real senders is tested with rsyslog omrelp; this
 * exists to time individual acknowledgements.
 */

import net from "node:net";

export class RelpClient {
  private buf = "";
  private txnr = 1;
  private readonly waiting = new Map<number, (rsp: string) => void>();

  private constructor(private readonly sock: net.Socket) {
    sock.setEncoding("latin1");
    sock.on("data", (d: string) => this.read(d));
  }

  /** Connects to 127.0.0.1:`port` and completes the RELP open handshake. */
  static async connect(port: number): Promise<RelpClient> {
    const sock = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => sock.once("connect", resolve).once("error", reject));
    const c = new RelpClient(sock);
    const rsp = await c.command("open", "relp_version=0\nrelp_software=gastrolog-test\ncommands=syslog");
    if (!rsp.startsWith("200")) throw new Error(`RELP open refused: ${rsp}`);
    return c;
  }

  /** Sends one syslog message; resolves with the server's response text ("200 OK"). */
  send(message: string): Promise<string> {
    return this.command("syslog", message);
  }

  close(): void {
    this.sock.destroy();
  }

  private command(cmd: string, data: string): Promise<string> {
    const txnr = this.txnr++;
    const rsp = new Promise<string>((resolve) => this.waiting.set(txnr, resolve));
    this.sock.write(`${txnr} ${cmd} ${Buffer.byteLength(data, "latin1")} ${data}\n`, "latin1");
    return rsp;
  }

  /** Parses `TXNR rsp LEN DATA\n` frames and settles their commands. */
  private read(d: string): void {
    this.buf += d;
    for (;;) {
      const m = /^(\d+) rsp (\d+) /.exec(this.buf);
      if (!m) return;
      const start = m[0].length;
      const end = start + Number(m[2]);
      if (this.buf.length < end + 1) return;
      const rsp = this.buf.slice(start, end);
      this.buf = this.buf.slice(end + 1);
      this.waiting.get(Number(m[1]))?.(rsp);
      this.waiting.delete(Number(m[1]));
    }
  }
}
