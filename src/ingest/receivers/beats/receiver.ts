/**
 * Beats receiver: Lumberjack v2 (Filebeat, Elastic Agent and other Beats' `output.logstash`)
 * over TCP or TLS, acknowledged once durable. Options: maxWindowSize (1,048,576 events),
 * maxFrameBytes (32 MiB, one J/D/C frame on the wire), maxDecodedBytes (128 MiB, one
 * compressed frame inflated).
 */

import { checkOptionKeys, intOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { SocketReceiver } from "../socket-receiver.ts";
import type { ConnectionHandler, TcpConnection } from "../tcp.ts";
import { BeatsSession } from "./session.ts";

const OPTIONS = ["maxWindowSize", "maxFrameBytes", "maxDecodedBytes"] as const;

export class BeatsReceiver extends SocketReceiver {
  private readonly limits: { maxWindowSize: number; maxFrameBytes: number; maxDecodedBytes: number };

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx, ["tcp"], "tcp:// or tls://");
    checkOptionKeys(config, OPTIONS);
    this.limits = {
      maxWindowSize: intOption(config, "maxWindowSize", 1 << 20, 1),
      maxFrameBytes: intOption(config, "maxFrameBytes", 32 << 20, 1024),
      maxDecodedBytes: intOption(config, "maxDecodedBytes", 128 << 20, 1024),
    };
  }

  protected override connection(conn: TcpConnection): ConnectionHandler {
    const session = new BeatsSession({
      io: { write: (b) => conn.write(b), end: () => conn.end() },
      pipeline: this.pipeline,
      counters: this.counters,
      base: { receiver: this.id, remote_ip: conn.remoteAddress },
      remote: conn.remoteAddress,
      limits: this.limits,
      clock: this.clock,
    });
    return this.sessionHandler(conn, session);
  }
}

/** Registry entry. */
export function createBeatsReceiver(config: ReceiverConfig, ctx: ReceiverContext): BeatsReceiver {
  return new BeatsReceiver(config, ctx);
}
