/**
 * Deterministic synthetic log corpus: `bun scripts/gen-corpus.ts --seed N --lines N --out FILE`.
 * A loghub-like mix (syslog, Apache access, HDFS, Spark, Zookeeper, JSON, logfmt, Java stack
 * traces) with high-cardinality fields and steadily increasing timestamps. Output depends only
 * on the seed and the line index, so a shorter corpus is an exact prefix of a longer one.
 */

import { closeSync, openSync, writeSync } from "node:fs";

/** sfc32 seeded through splitmix32; returns uint32s. No Math.random anywhere. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }

  /** Skewed integer in [0, n): small values far more likely (heavy head, long tail). */
  skewed(n: number): number {
    const u = this.u32() / 4294967296;
    return Math.floor(u * u * u * n);
  }
}

const enc = new TextEncoder();
const MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
const HEX = enc.encode("0123456789abcdef");

/** Appends ASCII into one big buffer, flushed to `sink` when nearly full. */
class Out {
  readonly buf: Uint8Array;
  n = 0;
  constructor(size: number, private readonly sink: (bytes: Uint8Array) => void) {
    this.buf = new Uint8Array(size);
  }
  s(text: string): void {
    for (let i = 0; i < text.length; i++) this.buf[this.n++] = text.charCodeAt(i);
  }
  int(v: number): void {
    if (v >= 10) this.int(Math.floor(v / 10));
    this.buf[this.n++] = 0x30 + (v % 10);
  }
  pad(v: number, width: number): void {
    for (let p = 10 ** (width - 1); p >= 1; p = Math.floor(p / 10)) this.buf[this.n++] = 0x30 + (Math.floor(v / p) % 10);
  }
  hex(v: number, digits: number): void {
    for (let i = digits - 1; i >= 0; i--) this.buf[this.n++] = HEX[(v >>> (i * 4)) & 15]!;
  }
  flushIfFull(): void {
    if (this.n > this.buf.length - 8192) this.flush();
  }
  flush(): void {
    if (this.n > 0) this.sink(this.buf.slice(0, this.n));
    this.n = 0;
  }
}

/** Broken-down UTC time of the current line, recomputed only when the second changes. */
class Clock {
  us = Date.UTC(2024, 2, 1) * 1000;
  y = 0; mo = 0; d = 0; h = 0; mi = 0; s = 0;
  private sec = -1;
  advance(deltaUs: number): void {
    this.us += deltaUs;
    const sec = Math.floor(this.us / 1e6);
    if (sec === this.sec) return;
    this.sec = sec;
    const t = new Date(sec * 1000);
    this.y = t.getUTCFullYear(); this.mo = t.getUTCMonth() + 1; this.d = t.getUTCDate();
    this.h = t.getUTCHours(); this.mi = t.getUTCMinutes(); this.s = t.getUTCSeconds();
  }
  get millis(): number {
    return Math.floor(this.us / 1000) % 1000;
  }
}

const USERS = ["root", "admin", "alice", "bob", "deploy", "git", "oracle", "test", "ubuntu", "www-data"];
const PATHS = ["/api/v1/orders", "/api/v1/users", "/api/v1/cart", "/static/app.js", "/login", "/health", "/api/v2/search"];
const AGENTS = ["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "Go-http-client/1.1", "python-requests/2.31"];
const LEVELS = ["INFO", "INFO", "INFO", "WARN", "DEBUG", "ERROR"];
const CLASSES = ["OrderService", "PaymentGateway", "InventoryClient", "SessionManager", "ReportJob"];

function time(o: Out, c: Clock, dateSep: string, t: string): void {
  o.pad(c.y, 4); o.s(dateSep); o.pad(c.mo, 2); o.s(dateSep); o.pad(c.d, 2); o.s(t);
  o.pad(c.h, 2); o.s(":"); o.pad(c.mi, 2); o.s(":"); o.pad(c.s, 2);
}
function ip(o: Out, r: Prng): void {
  o.int(10 + r.skewed(200)); o.s("."); o.int(r.int(256)); o.s("."); o.int(r.int(256)); o.s("."); o.int(1 + r.int(254));
}
function uuid(o: Out, r: Prng): void {
  o.hex(r.u32(), 8); o.s("-"); o.hex(r.u32(), 4); o.s("-4"); o.hex(r.u32(), 3); o.s("-");
  o.hex(8 + r.int(4), 1); o.hex(r.u32(), 3); o.s("-"); o.hex(r.u32(), 4); o.hex(r.u32(), 8);
}
function pick(o: Out, r: Prng, list: readonly string[]): void {
  o.s(list[r.int(list.length)]!);
}

/** Writes one line (or a short stack trace run of lines) and returns how many lines it wrote. */
function line(o: Out, r: Prng, c: Clock): number {
  const kind = r.int(100);
  if (kind < 18) {
    o.s(MONTHS.slice(c.mo * 3 - 3, c.mo * 3)); o.s(c.d < 10 ? "  " : " "); o.int(c.d); o.s(" ");
    o.pad(c.h, 2); o.s(":"); o.pad(c.mi, 2); o.s(":"); o.pad(c.s, 2); o.s(" web-"); o.int(r.int(40)); o.s(" sshd[");
    o.int(1000 + r.int(60000));
    o.s(r.int(4) === 0 ? "]: Accepted publickey for " : "]: Failed password for invalid user ");
    pick(o, r, USERS); o.s(" from "); ip(o, r); o.s(" port "); o.int(1024 + r.int(64000)); o.s(" ssh2");
  } else if (kind < 40) {
    ip(o, r); o.s(" - - ["); o.pad(c.d, 2); o.s("/"); o.s(MONTHS.slice(c.mo * 3 - 3, c.mo * 3)); o.s("/"); o.pad(c.y, 4);
    o.s(":"); o.pad(c.h, 2); o.s(":"); o.pad(c.mi, 2); o.s(":"); o.pad(c.s, 2); o.s(" +0000] \"GET ");
    pick(o, r, PATHS); o.s("?id="); o.int(r.skewed(1_000_000)); o.s(" HTTP/1.1\" ");
    o.int(r.int(20) === 0 ? 500 : r.int(8) === 0 ? 404 : 200); o.s(" "); o.int(200 + r.skewed(50_000)); o.s(" \"-\" \"");
    pick(o, r, AGENTS); o.s("\"");
  } else if (kind < 55) {
    o.pad(c.y % 100, 2); o.pad(c.mo, 2); o.pad(c.d, 2); o.s(" "); o.pad(c.h, 2); o.pad(c.mi, 2); o.pad(c.s, 2);
    o.s(" "); o.int(r.int(300));
    o.s(" INFO dfs.DataNode$PacketResponder: PacketResponder "); o.int(r.int(3)); o.s(" for block blk_");
    if (r.int(2) === 0) o.s("-");
    o.int(r.u32() * 2097152 + (r.u32() >>> 11)); o.s(" terminating");
  } else if (kind < 65) {
    o.pad(c.y % 100, 2); o.s("/"); o.pad(c.mo, 2); o.s("/"); o.pad(c.d, 2); o.s(" ");
    o.pad(c.h, 2); o.s(":"); o.pad(c.mi, 2); o.s(":"); o.pad(c.s, 2);
    o.s(" INFO storage.BlockManager: Found block rdd_"); o.int(r.skewed(500)); o.s("_"); o.int(r.int(64)); o.s(" locally");
  } else if (kind < 80) {
    o.s("{\"ts\":\""); time(o, c, "-", "T"); o.s("."); o.pad(c.millis, 3); o.s("Z\",\"level\":\"");
    o.s(r.int(10) === 0 ? "warn" : "info"); o.s("\",\"msg\":\"request completed\",\"req_id\":\""); uuid(o, r);
    o.s("\",\"user_id\":"); o.int(r.skewed(2_000_000)); o.s(",\"path\":\""); pick(o, r, PATHS);
    o.s("\",\"status\":"); o.int(r.int(15) === 0 ? 503 : 200); o.s(",\"duration_ms\":"); o.int(r.skewed(5000)); o.s("}");
  } else if (kind < 90) {
    o.s("ts="); time(o, c, "-", "T"); o.s("Z level="); o.s(r.int(5) === 0 ? "warn" : "info");
    o.s(" msg=\"query done\" db=orders rows="); o.int(r.skewed(100_000)); o.s(" duration="); o.int(r.skewed(3000));
    o.s("ms trace_id="); o.hex(r.u32(), 8); o.hex(r.u32(), 8); o.hex(r.u32(), 8); o.hex(r.u32(), 8);
  } else if (kind < 97) {
    time(o, c, "-", " "); o.s(","); o.pad(c.millis, 3); o.s(" - "); pick(o, r, LEVELS);
    o.s("  [QuorumPeer[myid="); o.int(1 + r.int(5)); o.s("]/0.0.0.0:2181:FastLeaderElection@"); o.int(700 + r.int(200));
    o.s("] - Notification time out: "); o.int(200 * (1 + r.skewed(64)));
  } else {
    time(o, c, "-", " "); o.s(","); o.pad(c.millis, 3); o.s(" ERROR [worker-"); o.int(r.int(32)); o.s("] com.example.");
    pick(o, r, CLASSES); o.s(" - Failed to process order "); o.int(r.skewed(10_000_000)); o.s("\n");
    o.s("java.lang.IllegalStateException: order "); o.int(r.skewed(10_000_000)); o.s(" is in state CANCELLED\n");
    const frames = 2 + r.int(5);
    for (let f = 0; f < frames; f++) {
      o.s("\tat com.example."); pick(o, r, CLASSES); o.s(".handle(");
      o.s(CLASSES[r.int(CLASSES.length)]!); o.s(".java:"); o.int(20 + r.int(400)); o.s(")");
      if (f < frames - 1) o.s("\n");
    }
    return frames + 2;
  }
  return 1;
}

/**
 * Generates `lines` lines for `seed`, handing big blocks to `sink` in order. Byte-identical
 * for the same seed, and the output for n lines is a prefix of the output for any m > n.
 */
export function generateCorpus(seed: number, lines: number, sink: (bytes: Uint8Array) => void): void {
  const r = new Prng(seed);
  const c = new Clock();
  const o = new Out(4 << 20, sink);
  let done = 0;
  while (done < lines) {
    const u = r.u32() / 4294967296;
    c.advance(Math.floor(u * u * u * 40_000));
    const start = o.n;
    const written = line(o, r, c);
    o.s("\n");
    if (done + written > lines) o.n = cutAfterLines(o.buf, start, lines - done);
    done += written;
    o.flushIfFull();
  }
  o.flush();
}

/** Position just after the `keep`-th newline at or after `start` (a stack trace cut short). */
function cutAfterLines(buf: Uint8Array, start: number, keep: number): number {
  let pos = start;
  for (let k = 0; k < keep; k++) pos = buf.indexOf(10, pos) + 1;
  return pos;
}

function main(argv: string[]): void {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const seed = Number(arg("--seed") ?? "1");
  const lines = Number(arg("--lines") ?? "");
  const out = arg("--out");
  if (!Number.isInteger(seed) || !Number.isInteger(lines) || lines < 0 || !out) {
    console.error("usage: bun scripts/gen-corpus.ts --seed N --lines N --out FILE");
    process.exit(2);
  }
  const fd = openSync(out, "w");
  const t0 = performance.now();
  generateCorpus(seed, lines, (bytes) => writeSync(fd, bytes));
  closeSync(fd);
  const s = (performance.now() - t0) / 1000;
  console.error(`gen-corpus: ${lines} lines to ${out} in ${s.toFixed(2)}s (${Math.round(lines / s)} lines/s)`);
}

if (import.meta.main) main(process.argv.slice(2));
