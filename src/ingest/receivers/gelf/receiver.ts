/**
 * GELF receiver: UDP (plain, gzip or zlib JSON; chunked up to 128 chunks) and TCP/TLS
 * (NUL-delimited JSON). Options: chunkTimeoutMs (5000), maxChunkSets (4096),
 * maxMessageBytes (decompressed, 8 MiB), recvBufferBytes (UDP SO_RCVBUF, 8 MiB), datagramQueueBytes
 * (datagrams held while the ingest queue is full, 32 MiB; datagram-queue.ts).
 */

import { errorMessage } from "../../../core/errors.ts";
import type { Listener } from "../base.ts";
import type { ListenAddress } from "../listen-url.ts";
import { checkOptionKeys, intOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { SocketReceiver } from "../socket-receiver.ts";
import type { ConnectionHandler, TcpConnection } from "../tcp.ts";
import { DEFAULT_UDP_RECV_BUFFER } from "../udp.ts";
import { DEFAULT_DATAGRAM_QUEUE_BYTES } from "../datagram-queue.ts";
import { CHUNK_MAGIC_0, CHUNK_MAGIC_1, GelfChunkAssembler, type DropSink } from "./chunks.ts";
import { gelfRecord, inflatePayload } from "./message.ts";
import { NulFramer, type NulFrameSink } from "./nul-framer.ts";

const OPTIONS = ["chunkTimeoutMs", "maxChunkSets", "maxMessageBytes", "recvBufferBytes", "datagramQueueBytes"] as const;
const PARSE_ERROR_ATTR = "parse_error";

export class GelfReceiver extends SocketReceiver {
  private readonly maxMessage: number;
  private readonly recvBuffer: number;
  private readonly datagramQueueBytes: number;
  private readonly chunkTimeoutMs: number;
  private readonly maxSets: number;
  private readonly dropSink: DropSink;

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx, ["udp", "tcp"], "udp://, tcp:// or tls://");
    checkOptionKeys(config, OPTIONS);
    this.chunkTimeoutMs = intOption(config, "chunkTimeoutMs", 5000, 1);
    this.maxSets = intOption(config, "maxChunkSets", 4096, 1);
    this.maxMessage = intOption(config, "maxMessageBytes", 8 << 20, 64);
    this.recvBuffer = intOption(config, "recvBufferBytes", DEFAULT_UDP_RECV_BUFFER, 0);
    this.datagramQueueBytes = intOption(config, "datagramQueueBytes", DEFAULT_DATAGRAM_QUEUE_BYTES, 0);
    const c = this.counters;
    this.dropSink = (reason, n, bytes) => c.drop(reason, n, bytes, DROP_WHY[reason]);
  }

  /** The UDP socket plus a timer expiring incomplete chunk sets. */
  protected override async openUdp(a: ListenAddress): Promise<Listener[]> {
    const assembler = new GelfChunkAssembler({ timeoutMicros: this.chunkTimeoutMs * 1000, maxSets: this.maxSets });
    const c = this.counters;
    const deliver = (d: Uint8Array, remote: string, receivedAt: number) => {
      try {
        if (d.length >= 2 && d[0] === CHUNK_MAGIC_0 && d[1] === CHUNK_MAGIC_1) {
          const whole = assembler.add(d, receivedAt, this.dropSink);
          if (whole) this.payload(whole, remote);
        } else this.payload(d, remote);
      } catch (err) {
        c.drop("decode_failed", 1, d.length);
        this.handlerCrashed(`GELF datagram from ${remote}`, err);
      }
    };
    const sock = await this.listenUdpQueued(a, this.recvBuffer, this.datagramQueueBytes, deliver);
    const timer = setInterval(() => assembler.expire(this.clock(), this.dropSink), Math.min(1000, this.chunkTimeoutMs));
    return [
      sock,
      {
        address: `${sock.address}#chunks`,
        close: () => {
          clearInterval(timer);
          assembler.clear(this.dropSink);
        },
      },
    ];
  }

  protected override connection(conn: TcpConnection): ConnectionHandler {
    const framer = new NulFramer(this.maxMessage);
    const remote = conn.remoteAddress;
    const c = this.counters;
    const sink: NulFrameSink = {
      frame: (buf, start, end) => this.payload(buf.subarray(start, end), remote),
      dropped: (reason, n, bytes) => c.drop(reason, n, bytes, `${DROP_WHY[reason] ?? reason} on the connection from ${remote}`),
    };
    return {
      data: (chunk) => {
        framer.push(chunk, sink);
        if (this.pipeline.full) conn.pauseForSpace();
      },
      closed: () => framer.end(sink),
    };
  }

  /** Decompresses and maps one whole message, then queues it. */
  private payload(p: Uint8Array, remote: string): void {
    let json: Uint8Array;
    try {
      json = inflatePayload(p, this.maxMessage);
    } catch (err) {
      this.counters.drop("decode_failed", 1, p.length, `GELF message from ${remote}: cannot decompress: ${errorMessage(err)}`);
      return;
    }
    const r = gelfRecord(json, { receiver: this.id, remote_ip: remote });
    if (r.error !== "") {
      r.attrs[PARSE_ERROR_ATTR] = r.error;
      this.counters.parseErrors++;
    }
    this.pipeline.push({ raw: r.raw, attrs: r.attrs, sourceTs: r.sourceTs, ingestTs: this.clock() }, this.counters);
  }
}

/** What a framing or chunking drop means, for the log line. */
const DROP_WHY: Partial<Record<string, string>> = {
  oversize: "message longer than maxMessageBytes",
  incomplete: "message not complete (chunks missing after chunkTimeoutMs, or no NUL before the connection closed)",
  evicted: "chunk set evicted: more than maxChunkSets open",
  duplicate_chunk: "chunk received twice",
  protocol: "malformed chunk header",
};

/** Registry entry. */
export function createGelfReceiver(config: ReceiverConfig, ctx: ReceiverContext): GelfReceiver {
  return new GelfReceiver(config, ctx);
}
