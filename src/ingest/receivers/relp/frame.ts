/**
 * RELP frame parser (librelp's wire format, pure):
 *   FRAME   = TXNR SP COMMAND SP DATALEN [SP DATA] LF
 *   TXNR    = 1*9DIGIT          COMMAND = 1*32ALPHA
 *   DATALEN = 1*9DIGIT (0 = no DATA and no SP before LF)
 * Bytes in, frames out; a frame that breaks the grammar is a protocol error (the caller drops
 * the session, as librelp does). `encodeRsp` builds the server's replies.
 */

const LF = 0x0a;
const SP = 0x20;
const MAX_DIGITS = 9;
const MAX_COMMAND = 32;

/** Receives parsed frames; `data` is `buf[start, end)` and is never modified afterwards. */
export interface RelpFrameSink {
  frame(txnr: number, command: string, buf: Uint8Array, start: number, end: number): void;
  /** The stream broke the grammar at byte `at` of the current buffer; parsing stops. */
  error(detail: string): void;
}

const latin1 = new TextDecoder("latin1");

export class RelpFrameParser {
  private pending: Uint8Array | undefined;
  private failed = false;

  constructor(private readonly maxData: number) {}

  /** Bytes buffered waiting for the rest of a frame. */
  get buffered(): number {
    return this.pending?.length ?? 0;
  }

  push(chunk: Uint8Array, sink: RelpFrameSink): void {
    if (this.failed) return;
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let i = 0;
    while (i < data.length) {
      const next = this.frame(data, i, sink);
      if (next === -1) {
        this.pending = data.subarray(i);
        return;
      }
      if (next === -2) {
        this.failed = true;
        return;
      }
      i = next;
    }
  }

  /** Parses one frame at i: index after it, -1 = incomplete, -2 = protocol error (reported). */
  private frame(d: Uint8Array, i: number, sink: RelpFrameSink): number {
    const end = d.length;
    let j = i;
    let txnr = 0;
    while (j < end && j - i < MAX_DIGITS && d[j]! >= 0x30 && d[j]! <= 0x39) txnr = txnr * 10 + d[j++]! - 0x30;
    if (j === end) return -1;
    if (j === i || d[j] !== SP) return this.fail(sink, `expected TXNR and SP at ${JSON.stringify(snippet(d, i))}`);
    const c0 = ++j;
    while (j < end && j - c0 < MAX_COMMAND && isAlpha(d[j]!)) j++;
    if (j === end) return -1;
    if (j === c0 || d[j] !== SP) return this.fail(sink, `expected COMMAND and SP at ${JSON.stringify(snippet(d, i))}`);
    const command = latin1.decode(d.subarray(c0, j));
    const l0 = ++j;
    let len = 0;
    while (j < end && j - l0 < MAX_DIGITS && d[j]! >= 0x30 && d[j]! <= 0x39) len = len * 10 + d[j++]! - 0x30;
    if (j === end) return -1;
    if (j === l0) return this.fail(sink, `expected DATALEN at ${JSON.stringify(snippet(d, i))}`);
    if (len > this.maxData) return this.fail(sink, `DATALEN ${len} exceeds the limit of ${this.maxData} bytes`);
    if (len === 0) {
      if (d[j] !== LF) return this.fail(sink, "expected LF after DATALEN 0");
      sink.frame(txnr, command, d, j, j);
      return j + 1;
    }
    if (d[j] !== SP) return this.fail(sink, "expected SP after DATALEN");
    const s = j + 1;
    if (s + len + 1 > end) return -1;
    if (d[s + len] !== LF) return this.fail(sink, `frame ${txnr}: expected LF after ${len} data bytes`);
    sink.frame(txnr, command, d, s, s + len);
    return s + len + 1;
  }

  private fail(sink: RelpFrameSink, detail: string): number {
    sink.error(detail);
    return -2;
  }
}

function isAlpha(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a);
}

function snippet(d: Uint8Array, i: number): string {
  return latin1.decode(d.subarray(i, Math.min(d.length, i + 24)));
}

/** `TXNR rsp LEN DATA\n` (or `TXNR rsp 0\n` for empty data). */
export function encodeRsp(txnr: number, data: string): string {
  const len = Buffer.byteLength(data);
  return len === 0 ? `${txnr} rsp 0\n` : `${txnr} rsp ${len} ${data}\n`;
}

/** The frame the server sends before closing: `0 serverclose 0\n`. */
export const SERVERCLOSE = "0 serverclose 0\n";
