/**
 * One Beats connection (Lumberjack v2, server side). A window `W n` announces n events; each
 * `J`/`D` event becomes a record at once, so a big window streams through the ingest queue.
 * Acks are cumulative `2A seq`, sent only for events whose records are durable: the last event
 * of each completed window, then (when a window is still being written) a partial ack with the
 * newest durable seq, which also keeps the client's timeout from firing. Sequence numbers must
 * rise within a window (they restart with each window, as go-lumber and libbeat number them);
 * more events than announced, a lower or repeated seq, an event outside a window, or a framing
 * error are protocol errors: counted as a drop with the reason, and the connection closes
 * (the client resends what was not acked). Transport-free: data() in, io out.
 */

import type { ReceiverCounters } from "../../pipeline/counters.ts";
import type { IngestPipeline } from "../../pipeline/pipeline.ts";
import { DurableAcks } from "../durable-acks.ts";
import { beatsDataRecord, beatsJsonRecord, PARSE_ERROR_ATTR } from "./event.ts";
import { encodeAck, LumberjackParser, type LumberjackLimits, type LumberjackSink } from "./frame.ts";

/** Where a session writes; a TcpConnection in the receiver, an array in tests. */
export interface BeatsIo {
  write(b: Uint8Array): void;
  end(): void;
}

export interface BeatsSessionDeps {
  io: BeatsIo;
  pipeline: IngestPipeline;
  counters: ReceiverCounters;
  /** Attrs every record gets (receiver, remote_ip). */
  base: Readonly<Record<string, string>>;
  remote: string;
  limits: LumberjackLimits & { maxWindowSize: number };
  clock: () => number;
}

interface AckUnit {
  seq: number;
  /** The last event of its window. */
  closesWindow: boolean;
}

export class BeatsSession implements LumberjackSink {
  private readonly parser: LumberjackParser;
  private readonly acks: DurableAcks<AckUnit>;
  /** Events still expected in the current window (0: none open). */
  private remaining = 0;
  private lastSeq = 0;
  private ended = false;
  private now = 0;

  constructor(private readonly d: BeatsSessionDeps) {
    this.parser = new LumberjackParser(d.limits);
    this.acks = new DurableAcks(d.pipeline, (units, ok) => this.settled(units, ok));
  }

  data(chunk: Uint8Array): void {
    if (this.ended) return;
    this.now = this.d.clock();
    this.parser.push(chunk, this);
  }

  /** The connection is gone; events not acked will be resent by the client. */
  closed(): void {
    if (!this.ended && this.parser.buffered > 0) this.d.counters.drop("incomplete", 1, this.parser.buffered, `Beats connection from ${this.d.remote} closed inside a frame`);
    this.ended = true;
    this.parser.stop();
    this.acks.close();
  }

  window(count: number): void {
    if (this.remaining > 0) return this.error(`window frame while ${this.remaining} events of the previous window are still due`, 6);
    if (count > this.d.limits.maxWindowSize) return this.error(`window of ${count} events is over maxWindowSize ${this.d.limits.maxWindowSize}`, 6);
    this.remaining = count;
    this.lastSeq = 0;
  }

  json(seq: number, buf: Uint8Array, start: number, end: number): void {
    if (!this.accept(seq, end - start)) return;
    const r = beatsJsonRecord(buf, start, end, this.d.base, this.now);
    if (r.attrs[PARSE_ERROR_ATTR] !== undefined) this.d.counters.parseErrors++;
    this.queued(seq, this.d.pipeline.push(r, this.d.counters));
  }

  dataFrame(seq: number, pairs: [string, string][]): void {
    if (!this.accept(seq, 0)) return;
    this.queued(seq, this.d.pipeline.push(beatsDataRecord(pairs, this.d.base, this.now), this.d.counters));
  }

  error(message: string, bytes: number): void {
    if (this.ended) return;
    this.d.counters.drop("protocol", 1, bytes, `Beats connection from ${this.d.remote}: ${message}; closing it`);
    this.close();
  }

  private close(): void {
    this.ended = true;
    this.parser.stop();
    this.acks.close();
    this.d.io.end();
  }

  private accept(seq: number, bytes: number): boolean {
    if (this.ended) return false;
    if (this.remaining === 0) {
      this.error(`event seq ${seq} outside a window (no window frame, or more events than it announced)`, bytes);
      return false;
    }
    if (seq <= this.lastSeq) {
      this.error(`event seq ${seq} after seq ${this.lastSeq} in the same window (sequence numbers must rise)`, bytes);
      return false;
    }
    return true;
  }

  private queued(seq: number, pipelineSeq: number): void {
    this.lastSeq = seq;
    this.remaining--;
    this.acks.add(pipelineSeq, pipelineSeq, { seq, closesWindow: this.remaining === 0 });
  }

  private settled(units: AckUnit[], ok: boolean): void {
    if (this.ended) return;
    // The failed append is counted and logged by the pipeline; the client resends after reconnecting.
    if (!ok) return this.close();
    const out: Uint8Array[] = [];
    for (const u of units) if (u.closesWindow) out.push(encodeAck(u.seq));
    const last = units[units.length - 1]!;
    if (!last.closesWindow) out.push(encodeAck(last.seq));
    this.d.io.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    this.d.counters.acked += units.length;
  }
}
