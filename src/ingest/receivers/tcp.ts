/**
 * Thin TCP (and TLS) glue on Bun.listen shared by the stream receivers: one handler object per
 * connection gets the received bytes; writes are queued across `drain`; reads pause while the
 * ingest queue is full and resume when it has room. A throwing handler closes only its own
 * connection. Under mTLS (clientAuth request/require) a connection gets its handler only after
 * its handshake passed the policy (security/tls.ts); a refused one is reported and closed
 * before any byte of it is read. No framing or parsing here.
 */

import type { Socket, TCPSocketListener } from "bun";
import { errorMessage } from "../../core/errors.ts";
import type { IngestPipeline } from "../pipeline/pipeline.ts";
import type { ReceiverCounters } from "../pipeline/counters.ts";
import type { Listener } from "./base.ts";
import { judgeClient, type ClientAuth, type Rejection, type TlsMaterial } from "../../security/tls.ts";
import { formatListenUrl, type ListenAddress } from "./listen-url.ts";

/** What a connection handler can do with its connection. */
export interface TcpConnection {
  readonly remoteAddress: string;
  /** Queues bytes for the peer (kept across short writes until `drain`). */
  write(bytes: Uint8Array | string): void;
  /** Closes after queued writes are flushed. */
  end(): void;
  /** Stops reading until the pipeline has room again (call when `pipeline.full`). */
  pauseForSpace(): void;
  readonly closed: boolean;
}

/** Per-connection protocol logic. */
export interface ConnectionHandler {
  data(chunk: Uint8Array): void;
  /** The connection is gone (peer close, error, or receiver stop). */
  closed(): void;
}

export interface TcpListenOptions {
  address: ListenAddress;
  tls?: TlsMaterial;
  /** Client-certificate policy of a TLS listener (default "none"). */
  clientAuth?: ClientAuth;
  /** A TLS client was refused by the policy (its connection is closed). */
  onTlsReject?(r: Rejection): void;
  pipeline: IngestPipeline;
  counters: ReceiverCounters;
  open(conn: TcpConnection): ConnectionHandler;
  /** A handler threw; its connection is closed. */
  onHandlerError(where: string, err: unknown): void;
}

/** A bound TCP listener that can also close all its live connections. */
export interface TcpListener extends Listener {
  closeConnections(): void;
}

class Conn implements TcpConnection {
  handler: ConnectionHandler | undefined;
  closed = false;
  private pending: Uint8Array[] = [];
  private ending = false;
  private paused = false;

  constructor(
    readonly socket: Socket<Conn>,
    readonly remoteAddress: string,
    private readonly pipeline: IngestPipeline,
  ) {}

  write(bytes: Uint8Array | string): void {
    if (this.closed) return;
    const b = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
    if (this.pending.length > 0) {
      this.pending.push(b);
      return;
    }
    const n = this.socket.write(b);
    if (n < b.length) this.pending.push(b.subarray(Math.max(n, 0)));
  }

  drain(): void {
    while (this.pending.length > 0 && !this.closed) {
      const b = this.pending[0]!;
      const n = this.socket.write(b);
      if (n < b.length) {
        this.pending[0] = b.subarray(Math.max(n, 0));
        return;
      }
      this.pending.shift();
    }
    if (this.ending && this.pending.length === 0) this.socket.end();
  }

  end(): void {
    if (this.closed) return;
    this.ending = true;
    if (this.pending.length === 0) this.socket.end();
  }

  pauseForSpace(): void {
    if (this.paused || this.closed) return;
    this.paused = true;
    this.socket.pause();
    void this.pipeline.whenSpace().then(() => {
      this.paused = false;
      if (!this.closed) this.socket.resume();
    });
  }
}

/** Binds `o.address` with Bun.listen; throws when the bind fails. */
export function listenTcp(o: TcpListenOptions): TcpListener {
  const live = new Set<Conn>();
  const finish = (c: Conn) => {
    if (c.closed) return;
    c.closed = true;
    live.delete(c);
    o.counters.connections--;
    try {
      c.handler?.closed();
    } catch (err) {
      o.onHandlerError(`closing connection from ${c.remoteAddress}`, err);
    }
  };
  const start = (s: Socket<Conn>, c: Conn) => {
    try {
      c.handler = o.open(c);
    } catch (err) {
      o.onHandlerError(`opening connection from ${c.remoteAddress}`, err);
      s.end();
    }
  };
  const mode = o.tls ? (o.clientAuth ?? "none") : "none";
  const server: TCPSocketListener<Conn> = Bun.listen<Conn>({
    hostname: o.address.hostname,
    port: o.address.port,
    ...(o.tls ? { tls: { cert: o.tls.cert, key: o.tls.key, ca: o.tls.ca, requestCert: o.tls.requestCert, rejectUnauthorized: false } } : {}),
    socket: {
      open(s) {
        const c = new Conn(s, s.remoteAddress, o.pipeline);
        s.data = c;
        live.add(c);
        o.counters.connections++;
        if (mode === "none") start(s, c);
      },
      ...(mode === "none"
        ? {}
        : {
            handshake(s: Socket<Conn>, _ok: boolean, error: Error | null) {
              const c = s.data;
              if (!c || c.closed) return;
              const code = (error as (Error & { code?: string }) | null)?.code;
              const v = judgeClient(mode, { authorized: s.authorized, error: error && { code, message: error.message }, peer: s.getPeerCertificate() });
              if (v.ok) return start(s, c);
              o.onTlsReject?.({ reason: v.reason, message: v.message, remote: c.remoteAddress });
              s.terminate();
              finish(c);
            },
          }),
      data(s, chunk) {
        const c = s.data;
        if (!c || c.closed || !c.handler) return;
        o.counters.bytes += chunk.length;
        try {
          c.handler.data(chunk);
        } catch (err) {
          o.onHandlerError(`connection from ${c.remoteAddress}`, err);
          s.end();
          finish(c);
        }
      },
      drain(s) {
        s.data?.drain();
      },
      close(s) {
        if (s.data) finish(s.data);
      },
      error(s, err) {
        if (s.data) o.onHandlerError(`connection from ${s.data.remoteAddress}`, new Error(errorMessage(err)));
      },
    },
  });
  const bound = { ...o.address, port: server.port };
  return {
    address: formatListenUrl(bound),
    close() {
      server.stop(true);
      for (const c of [...live]) {
        c.socket.terminate();
        finish(c);
      }
    },
    closeConnections() {
      for (const c of [...live]) {
        c.socket.terminate();
        finish(c);
      }
    },
  };
}
