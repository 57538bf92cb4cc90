/**
 * One Fluent Forward connection (server side): optional HELO/PING/PONG handshake first, then
 * messages in any mode, each entry pushed as a record; a message carrying option.chunk is
 * answered {"ack": chunk} only once all its records are durable, in arrival order. A message
 * that breaks the protocol is counted and logged (as a drop with its reason) and ends the
 * connection; entries whose record is not a map are dropped and counted, the rest of their
 * message is stored and acked. Transport-free: bytes in through data(), out through io.
 */

import type { ReceiverCounters } from "../../pipeline/counters.ts";
import type { IngestPipeline } from "../../pipeline/pipeline.ts";
import { DurableAcks } from "../durable-acks.ts";
import { decodeFluentMessage, FluentProtocolError, type DecodeLimits } from "./events.ts";
import { answerPing, helo, newNonce, type HandshakeConfig } from "./handshake.ts";
import { MessagePackStream, packMsgpack, type ValueSink } from "./msgpack.ts";
import { fluentRecord } from "./record.ts";

/** Where a session writes; a TcpConnection in the receiver, an array in tests. */
export interface FluentIo {
  write(b: Uint8Array): void;
  end(): void;
}

export interface FluentSessionDeps {
  io: FluentIo;
  pipeline: IngestPipeline;
  counters: ReceiverCounters;
  /** Attrs every record gets (receiver, remote_ip). */
  base: Readonly<Record<string, string>>;
  remote: string;
  limits: DecodeLimits & { maxMessageBytes: number };
  /** Set when a shared key is configured: the client must complete the handshake first. */
  handshake?: HandshakeConfig;
  clock: () => number;
}

interface AckUnit {
  chunk: string;
  records: number;
}

export class FluentSession implements ValueSink {
  private readonly stream: MessagePackStream;
  private readonly acks: DurableAcks<AckUnit>;
  private nonce: Uint8Array | undefined;
  private ended = false;
  private now = 0;

  constructor(private readonly d: FluentSessionDeps) {
    this.stream = new MessagePackStream(d.limits.maxMessageBytes);
    this.acks = new DurableAcks(d.pipeline, (units, ok) => this.settled(units, ok));
    if (d.handshake) {
      this.nonce = newNonce();
      d.io.write(helo(this.nonce));
    }
  }

  /** Bytes from the client. */
  data(chunk: Uint8Array): void {
    if (this.ended) return;
    this.now = this.d.clock();
    this.stream.push(chunk, this);
  }

  /** The connection is gone: unacked chunks will be resent by the client. */
  closed(): void {
    if (!this.ended && this.stream.buffered > 0) this.d.counters.drop("incomplete", 1, this.stream.buffered, `Fluent connection from ${this.d.remote} closed inside a message`);
    this.ended = true;
    this.stream.stop();
    this.acks.close();
  }

  value(v: unknown, bytes: number): void {
    if (this.ended) return;
    if (this.nonce) return this.ping(v, bytes);
    let msg;
    try {
      msg = decodeFluentMessage(v, this.d.limits);
    } catch (err) {
      if (err instanceof FluentProtocolError) return this.error(err.message, bytes);
      throw err;
    }
    const { pipeline, counters, base } = this.d;
    const first = pipeline.lastSeq + 1;
    for (const e of msg.entries) pipeline.push(fluentRecord(msg.tag, e.time, e.record, base, this.now), counters);
    if (msg.rejected > 0) counters.drop("decode_failed", msg.rejected, 0, `Fluent message from ${this.d.remote} (tag ${msg.tag}): ${msg.rejected} entries rejected: ${msg.rejectReason}`);
    if (msg.chunk !== undefined) this.acks.add(first, pipeline.lastSeq, { chunk: msg.chunk, records: msg.entries.length });
  }

  error(message: string, bytes: number): void {
    if (this.ended) return;
    this.d.counters.drop("protocol", 1, bytes, `Fluent connection from ${this.d.remote}: ${message}; closing it`);
    this.end();
  }

  private ping(v: unknown, bytes: number): void {
    const answer = answerPing(v, this.nonce!, this.d.handshake!);
    this.d.io.write(answer.pong);
    if (!answer.ok) return this.error(`handshake refused: ${answer.reason}`, bytes);
    this.nonce = undefined;
  }

  private settled(units: AckUnit[], ok: boolean): void {
    if (this.ended) return;
    if (!ok) return this.end();
    let records = 0;
    for (const u of units) {
      this.d.io.write(packMsgpack({ ack: u.chunk }));
      records += u.records;
    }
    this.d.counters.acked += records;
  }

  private end(): void {
    this.ended = true;
    this.stream.stop();
    this.acks.close();
    this.d.io.end();
  }
}
