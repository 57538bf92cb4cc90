/**
 * Thin UDP glue on node:dgram (Bun.udpSocket cannot set SO_RCVBUF; a large receive buffer is
 * what keeps bursts from being dropped by the kernel). One callback per datagram; socket
 * errors are reported as listener crashes so the receiver restarts; a receive buffer the kernel
 * granted smaller than asked is reported with the sysctl that fixes it.
 */

import dgram from "node:dgram";
import { readFileSync } from "node:fs";
import type { Listener } from "./base.ts";
import { formatListenUrl, type ListenAddress } from "./listen-url.ts";

/** Default SO_RCVBUF request: 8 MiB (Linux caps it at 2 x net.core.rmem_max). */
export const DEFAULT_UDP_RECV_BUFFER = 8 << 20;

export interface UdpListenOptions {
  address: ListenAddress;
  recvBufferBytes?: number;
  /** One datagram; `remote` is the sender's IP, `port` its port. */
  message(datagram: Uint8Array, remote: string, port: number): void;
  /** The socket failed after binding. */
  onCrash(err: unknown): void;
  /** Told once after binding when the kernel granted less receive buffer than asked. */
  onShortBuffer?(message: string): void;
}

/** A bound UDP socket; `recvBufferBytes` is what the kernel granted. */
export interface UdpListener extends Listener {
  readonly recvBufferBytes: number;
  /** Sends one datagram (replies such as Fluent's heartbeat answer); errors are ignored. */
  send(data: Uint8Array, port: number, address: string): void;
}

/** Binds a UDP socket; rejects when the bind fails. */
export function listenUdp(o: UdpListenOptions): Promise<UdpListener> {
  const type = o.address.hostname.includes(":") ? "udp6" : "udp4";
  const socket = dgram.createSocket({ type, recvBufferSize: o.recvBufferBytes ?? DEFAULT_UDP_RECV_BUFFER });
  return new Promise((resolve, reject) => {
    let bound = false;
    socket.on("error", (err) => {
      if (!bound) {
        socket.close();
        reject(err);
      } else o.onCrash(err);
    });
    socket.on("message", (msg, rinfo) => o.message(msg, rinfo.address, rinfo.port));
    socket.bind(o.address.port, o.address.hostname, () => {
      bound = true;
      const port = socket.address().port;
      let granted = 0;
      try {
        granted = socket.getRecvBufferSize();
      } catch {
        granted = 0;
      }
      const asked = o.recvBufferBytes ?? DEFAULT_UDP_RECV_BUFFER;
      const address = formatListenUrl({ ...o.address, port });
      if (granted > 0 && granted < grantedInFull(asked)) o.onShortBuffer?.(shortBufferMessage(address, asked, granted));
      resolve({
        address,
        recvBufferBytes: granted,
        send(data, port, address) {
          socket.send(data, port, address, () => {});
        },
        close() {
          socket.removeAllListeners("message");
          socket.close();
        },
      });
    });
  });
}

/** What the kernel reports for a request it granted in full (Linux doubles it for bookkeeping). */
function grantedInFull(asked: number): number {
  return process.platform === "linux" ? asked * 2 : asked;
}

/** The warning for a capped receive buffer: what was asked, granted, and the sysctl to raise. */
function shortBufferMessage(address: string, asked: number, granted: number): string {
  const cap = process.platform === "linux" ? ` (net.core.rmem_max is ${procNumber("/proc/sys/net/core/rmem_max") ?? "unknown"})` : "";
  return `UDP receive buffer of ${address}: asked ${asked} bytes, the kernel granted ${granted}${cap}; bursts beyond it are dropped before they reach the receiver. Raise the cap: sysctl -w net.core.rmem_max=${asked} (docs/receivers.md, "UDP socket buffer")`;
}

/** A number read from a /proc file, or undefined. */
function procNumber(path: string): number | undefined {
  try {
    return Number(readFileSync(path, "utf8").trim());
  } catch {
    return undefined;
  }
}
