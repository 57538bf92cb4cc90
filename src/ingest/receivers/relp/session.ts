/**
 * One RELP session (server side): `open` is answered with our offers, each `syslog` frame
 * becomes a record and is acknowledged (`200 OK`) only after the pipeline reports it durable,
 * in txnr order; `close` is answered after every earlier ack, followed by `serverclose`. When
 * the connection dies, messages that are durable but maybe unacknowledged by the client (no
 * ack sent yet, or one of the last RECENT_ACKED acks, which may not have reached it) go to the
 * receiver's ResendTracker so the client's retransmissions are counted as duplicates.
 */

import type { ReceiverCounters } from "../../pipeline/counters.ts";
import type { IngestPipeline } from "../../pipeline/pipeline.ts";
import type { SyslogRecords } from "../syslog/records.ts";
import { encodeRsp, RelpFrameParser, SERVERCLOSE, type RelpFrameSink } from "./frame.ts";
import type { ResendTracker } from "./resend.ts";

/** Where a session writes; implemented over a TcpConnection (tests use an array). */
export interface RelpIo {
  write(s: string): void;
  end(): void;
}

export interface RelpSessionDeps {
  io: RelpIo;
  records: SyslogRecords;
  pipeline: IngestPipeline;
  counters: ReceiverCounters;
  resends: ResendTracker;
  remote: string;
  /** `relp_software` value, e.g. "gastrolog,0.1.0,https://..." */
  software: string;
  maxData: number;
  clock: () => number;
}

const latin1 = new TextDecoder("latin1");
/** Acked messages remembered per session in case their ack was lost with the connection. */
const RECENT_ACKED = 1024;

export class RelpSession implements RelpFrameSink {
  private readonly parser: RelpFrameParser;
  private opened = false;
  private closed = false;
  /** Unacknowledged syslog frames in arrival order: txnr, pipeline seq, message bytes. */
  private txnrs: number[] = [];
  private seqs: number[] = [];
  private raws: Uint8Array[] = [];
  /** Seq an outstanding whenDurable() waits for (0 = none). */
  private waitingFor = 0;
  private closeTxnr = -1;
  private now = 0;
  /** Ring of the last RECENT_ACKED acknowledged messages. */
  private readonly recent: Uint8Array[] = [];
  private recentAt = 0;

  constructor(private readonly d: RelpSessionDeps) {
    this.parser = new RelpFrameParser(d.maxData);
  }

  /** Bytes from the client. */
  data(chunk: Uint8Array): void {
    if (this.closed) return;
    this.now = this.d.clock();
    this.d.records.refresh(this.now);
    this.parser.push(chunk, this);
    this.requestAcks();
  }

  frame(txnr: number, command: string, buf: Uint8Array, start: number, end: number): void {
    if (this.closed || this.closeTxnr >= 0) return;
    if (command === "syslog" && this.opened) return this.syslog(txnr, buf, start, end);
    if (command === "open") return this.open(txnr, buf, start, end);
    if (command === "close") {
      this.closeTxnr = txnr;
      this.flushAcksOrClose();
      return;
    }
    if (!this.opened) return this.error(`command ${JSON.stringify(command)} before open`);
    this.d.counters.drop("unsupported", 1, end - start, `RELP session from ${this.d.remote}: command ${JSON.stringify(command)} not supported`);
    this.d.io.write(encodeRsp(txnr, `500 command ${command} not supported`));
  }

  /** A protocol violation: counted (with the reason, for the log) and the session ends. */
  error(detail: string): void {
    this.d.counters.drop("protocol", 1, this.parser.buffered, `RELP session from ${this.d.remote}: ${detail}`);
    this.closed = true;
    this.d.io.end();
  }

  /** The connection is gone: durable-but-unacked messages will be resent by the client. */
  lost(): void {
    if (this.closed && this.closeTxnr >= 0) return;
    this.closed = true;
    const seqs = this.seqs;
    const raws = this.raws;
    const { pipeline, resends } = this.d;
    for (const r of this.recent) resends.remember(r);
    if (seqs.length === 0) return;
    void (async () => {
      for (let i = 0; i < seqs.length; i++) {
        if (await pipeline.whenDurable(seqs[i]!)) resends.remember(raws[i]!);
      }
    })();
  }

  private open(txnr: number, buf: Uint8Array, start: number, end: number): void {
    const offers = latin1.decode(buf.subarray(start, end)).split("\n");
    const commands = offers.find((o) => o.startsWith("commands="))?.slice("commands=".length).split(",") ?? [];
    if (!commands.includes("syslog")) {
      this.d.io.write(encodeRsp(txnr, "500 client does not offer the syslog command"));
      return;
    }
    this.opened = true;
    this.d.io.write(encodeRsp(txnr, `200 OK\nrelp_version=0\nrelp_software=${this.d.software}\ncommands=syslog`));
  }

  private syslog(txnr: number, buf: Uint8Array, start: number, end: number): void {
    let e = end;
    if (e > start && buf[e - 1] === 0x0a) e--;
    const raw = buf.subarray(start, e);
    if (this.d.resends.size > 0 && this.d.resends.take(raw)) this.d.counters.duplicates++;
    const seq = this.d.records.add(buf, start, e, this.d.remote, this.now);
    this.txnrs.push(txnr);
    this.seqs.push(seq);
    this.raws.push(raw);
  }

  private requestAcks(): void {
    const n = this.seqs.length;
    if (n === 0 || this.waitingFor !== 0 || this.closed) return;
    const seq = this.seqs[n - 1]!;
    this.waitingFor = seq;
    void this.d.pipeline.whenDurable(seq).then((ok) => this.acked(seq, ok));
  }

  private acked(seq: number, ok: boolean): void {
    this.waitingFor = 0;
    if (this.closed) return;
    if (!ok) return this.failPending(seq);
    let k = 0;
    let out = "";
    while (k < this.seqs.length && this.seqs[k]! <= seq) {
      out += encodeRsp(this.txnrs[k]!, "200 OK");
      this.remember(this.raws[k++]!);
    }
    this.dequeue(k);
    if (out !== "") this.d.io.write(out);
    this.d.counters.acked += k;
    this.flushAcksOrClose();
  }

  /** An append failed: answer each pending frame per its own outcome (500 = client resends). */
  private failPending(upTo: number): void {
    void (async () => {
      let k = 0;
      let out = "";
      let okCount = 0;
      while (k < this.seqs.length && this.seqs[k]! <= upTo) {
        const ok = await this.d.pipeline.whenDurable(this.seqs[k]!);
        out += encodeRsp(this.txnrs[k]!, ok ? "200 OK" : "500 not stored");
        if (ok) {
          okCount++;
          this.remember(this.raws[k]!);
        }
        k++;
      }
      if (this.closed) return;
      this.dequeue(k);
      this.d.io.write(out);
      this.d.counters.acked += okCount;
      this.flushAcksOrClose();
    })();
  }

  private remember(raw: Uint8Array): void {
    if (this.recent.length < RECENT_ACKED) this.recent.push(raw);
    else this.recent[this.recentAt++ % RECENT_ACKED] = raw;
  }

  private dequeue(k: number): void {
    if (k === 0) return;
    this.txnrs.splice(0, k);
    this.seqs.splice(0, k);
    this.raws.splice(0, k);
  }

  private flushAcksOrClose(): void {
    if (this.seqs.length > 0) return this.requestAcks();
    if (this.closeTxnr < 0 || this.closed) return;
    this.closed = true;
    this.d.io.write(encodeRsp(this.closeTxnr, "") + SERVERCLOSE);
    this.d.io.end();
  }
}
