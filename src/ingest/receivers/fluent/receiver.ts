/**
 * Fluent Forward receiver (fluentd's in_forward protocol v1) over TCP or TLS, with the UDP
 * heartbeat on the same port (a datagram is answered with one NUL byte, as fluentd does).
 * Options: sharedKey (enables the HELO/PING/PONG handshake), selfHostname (os.hostname()),
 * maxMessageBytes (32 MiB, one message on the wire), maxDecodedBytes (128 MiB, a gunzipped
 * CompressedPackedForward payload), heartbeat (true).
 */

import { hostname } from "node:os";
import type { Listener } from "../base.ts";
import { parseListenUrl } from "../listen-url.ts";
import { boolOption, checkOptionKeys, intOption, stringOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { SocketReceiver } from "../socket-receiver.ts";
import type { ConnectionHandler, TcpConnection } from "../tcp.ts";
import { listenUdp } from "../udp.ts";
import type { HandshakeConfig } from "./handshake.ts";
import { FluentSession } from "./session.ts";

const OPTIONS = ["sharedKey", "selfHostname", "maxMessageBytes", "maxDecodedBytes", "heartbeat"] as const;
const HEARTBEAT_REPLY = Uint8Array.of(0);

export class FluentReceiver extends SocketReceiver {
  private readonly handshake: HandshakeConfig | undefined;
  private readonly maxMessageBytes: number;
  private readonly maxDecodedBytes: number;
  private readonly heartbeat: boolean;

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx, ["tcp"], "tcp:// or tls://");
    checkOptionKeys(config, OPTIONS);
    const sharedKey = stringOption(config, "sharedKey", "");
    const selfHostname = stringOption(config, "selfHostname", hostname());
    if (sharedKey !== "") this.handshake = { sharedKey, selfHostname };
    this.maxMessageBytes = intOption(config, "maxMessageBytes", 32 << 20, 1024);
    this.maxDecodedBytes = intOption(config, "maxDecodedBytes", 128 << 20, 1024);
    this.heartbeat = boolOption(config, "heartbeat", true);
  }

  /** The TCP/TLS listeners, plus a UDP heartbeat socket on each one's port. */
  protected override async open(): Promise<Listener[]> {
    const tcp = await super.open();
    if (!this.heartbeat) return tcp;
    const out = [...tcp];
    try {
      for (const l of tcp) {
        const a = parseListenUrl(l.address);
        const udp = await listenUdp({
          address: { ...a, transport: "udp", tls: false },
          recvBufferBytes: 64 << 10,
          onCrash: (err) => this.crashed(err),
          message: (_d, remote, port) => udp.send(HEARTBEAT_REPLY, port, remote),
        });
        out.push(udp);
      }
    } catch (err) {
      for (const l of out) l.close();
      throw err;
    }
    return out;
  }

  protected override connection(conn: TcpConnection): ConnectionHandler {
    const session = new FluentSession({
      io: { write: (b) => conn.write(b), end: () => conn.end() },
      pipeline: this.pipeline,
      counters: this.counters,
      base: { receiver: this.id, remote_ip: conn.remoteAddress },
      remote: conn.remoteAddress,
      limits: { maxMessageBytes: this.maxMessageBytes, maxDecodedBytes: this.maxDecodedBytes },
      handshake: this.handshake,
      clock: this.clock,
    });
    return this.sessionHandler(conn, session);
  }
}

/** Registry entry. */
export function createFluentReceiver(config: ReceiverConfig, ctx: ReceiverContext): FluentReceiver {
  return new FluentReceiver(config, ctx);
}
