/**
 * Syslog receiver: RFC 3164 and RFC 5424 over UDP (one datagram = one message; a trailing NUL,
 * LF, CR is framing), TCP and TLS (RFC 5425/6587: octet counting and LF or NUL framing on the
 * same port, optional PROXY v1 line). Datagrams over maxFrameBytes are cut and counted.
 * Options: proxyProtocol (false), maxFrameBytes (MAX_RAW_BYTES + 1 KiB), recvBufferBytes
 * (UDP SO_RCVBUF, 8 MiB), datagramQueueBytes (datagrams held while the ingest queue is full,
 * 32 MiB; datagram-queue.ts), tzOffsetMinutes for zone-less timestamps (0 = UTC).
 */

import { MAX_RAW_BYTES } from "../../../core/limits.ts";
import type { Listener } from "../base.ts";
import type { ListenAddress } from "../listen-url.ts";
import { boolOption, checkOptionKeys, intOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { SocketReceiver } from "../socket-receiver.ts";
import type { ConnectionHandler, TcpConnection } from "../tcp.ts";
import { DEFAULT_UDP_RECV_BUFFER } from "../udp.ts";
import { DEFAULT_DATAGRAM_QUEUE_BYTES } from "../datagram-queue.ts";
import { SyslogStreamFramer, trimFrameEnd, type FrameSink } from "./framer.ts";
import { SyslogRecords } from "./records.ts";

const OPTIONS = ["proxyProtocol", "maxFrameBytes", "recvBufferBytes", "datagramQueueBytes", "tzOffsetMinutes"] as const;

export class SyslogReceiver extends SocketReceiver {
  private readonly proxyProtocol: boolean;
  private readonly maxFrame: number;
  private readonly recvBuffer: number;
  private readonly datagramQueueBytes: number;
  private readonly records: SyslogRecords;

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx, ["udp", "tcp"], "udp://, tcp:// or tls://");
    checkOptionKeys(config, OPTIONS);
    this.proxyProtocol = boolOption(config, "proxyProtocol", false);
    this.maxFrame = intOption(config, "maxFrameBytes", MAX_RAW_BYTES + 1024, 64);
    this.recvBuffer = intOption(config, "recvBufferBytes", DEFAULT_UDP_RECV_BUFFER, 0);
    this.datagramQueueBytes = intOption(config, "datagramQueueBytes", DEFAULT_DATAGRAM_QUEUE_BYTES, 0);
    this.records = new SyslogRecords(config.id, this.counters, this.pipeline, intOption(config, "tzOffsetMinutes", 0, -1440, 1440));
  }


  protected override async openUdp(a: ListenAddress): Promise<Listener[]> {
    const c = this.counters;
    const deliver = (d: Uint8Array, remote: string, now: number) => {
      const e = trimFrameEnd(d, 0, d.length);
      if (e === 0) {
        c.drop("empty", 1, d.length, `empty datagram from ${remote}`);
        return;
      }
      try {
        this.records.refresh(now);
        this.records.add(d, 0, Math.min(e, this.maxFrame), remote, now);
        if (e > this.maxFrame) c.drop("truncated", 1, e - this.maxFrame, `datagram of ${e} bytes from ${remote} cut to maxFrameBytes ${this.maxFrame}`);
      } catch (err) {
        c.drop("decode_failed", 1, d.length);
        this.handlerCrashed(`datagram from ${remote}`, err);
      }
    };
    return [await this.listenUdpQueued(a, this.recvBuffer, this.datagramQueueBytes, deliver)];
  }

  protected override connection(conn: TcpConnection): ConnectionHandler {
    const framer = new SyslogStreamFramer(this.maxFrame, this.proxyProtocol);
    const records = this.records;
    const counters = this.counters;
    const pipeline = this.pipeline;
    let remote = conn.remoteAddress;
    let now = 0;
    const sink: FrameSink = {
      frame(buf, start, end) {
        if (framer.proxy && remote !== framer.proxy.source) remote = framer.proxy.source;
        records.add(buf, start, end, remote, now);
      },
      dropped(reason, messages, bytes) {
        counters.drop(reason, messages, bytes, `${DROP_WHY[reason] ?? reason} on the connection from ${remote}`);
      },
    };
    return {
      data: (chunk) => {
        now = this.clock();
        records.refresh(now);
        framer.push(chunk, sink);
        if (pipeline.full) conn.pauseForSpace();
      },
      closed: () => {
        now = this.clock();
        framer.end(sink);
      },
    };
  }
}

/** What a framer drop means, for the log line. */
const DROP_WHY: Partial<Record<string, string>> = {
  truncated: "message longer than maxFrameBytes cut short",
  incomplete: "connection closed inside an octet-counted frame",
  protocol: "malformed PROXY line",
};

/** Registry entry. */
export function createSyslogReceiver(config: ReceiverConfig, ctx: ReceiverContext): SyslogReceiver {
  return new SyslogReceiver(config, ctx);
}
