/**
 * One connection front door for HTTP/1.1 and h2c on the same port (and on the Unix socket):
 * the first bytes decide — the HTTP/2 connection preface goes to a node:http2 server, anything
 * else to node:http. (node:http2's allowHTTP1 only works with TLS.) Tracks sockets and HTTP/2
 * sessions so shutdown can send GOAWAY and finally destroy what is left.
 */

import http from "node:http";
import http2 from "node:http2";
import net from "node:net";

export type RequestHandler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** True when `chunk` starts like the HTTP/2 preface (compared over the bytes present). */
export function looksLikeH2(chunk: Buffer): boolean {
  const n = Math.min(chunk.length, PREFACE.length);
  return n >= 3 && chunk.subarray(0, n).equals(PREFACE.subarray(0, n));
}

export class Frontend {
  readonly sockets = new Set<net.Socket>();
  readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly h1: http.Server;
  private readonly h2: http2.Http2Server;

  constructor(handler: RequestHandler) {
    this.h1 = http.createServer(handler);
    this.h2 = http2.createServer({}, handler);
    this.h2.on("session", (s: http2.ServerHttp2Session) => {
      this.sessions.add(s);
      s.on("close", () => this.sessions.delete(s));
    });
  }

  /** Hands an accepted connection to HTTP/1.1 or HTTP/2 by its first bytes. */
  accept = (sock: net.Socket): void => {
    this.sockets.add(sock);
    sock.on("close", () => this.sockets.delete(sock));
    sock.on("error", () => sock.destroy());
    sock.once("data", (chunk: Buffer) => {
      sock.pause();
      sock.unshift(chunk);
      (looksLikeH2(chunk) ? this.h2 : this.h1).emit("connection", sock);
      sock.resume();
    });
  };

  /** Asks clients to finish: GOAWAY on HTTP/2 sessions, close idle HTTP/1.1 connections. */
  drain(): void {
    for (const s of this.sessions) s.close();
    this.h1.closeIdleConnections();
  }

  /** Destroys every remaining connection. */
  destroyAll(): void {
    for (const s of this.sessions) s.destroy();
    for (const s of this.sockets) s.destroy();
  }
}
