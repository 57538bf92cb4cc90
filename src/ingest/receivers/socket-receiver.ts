/**
 * SocketReceiver: what the TCP/UDP receivers (syslog, RELP, GELF) share on top of
 * BaseReceiver — listen addresses parsed and checked once, one TCP/TLS listener per stream
 * address with the subclass's connection handler, UDP sockets from the subclass (each behind a
 * DatagramQueue while the ingest queue is full: listenUdpQueued), everything already bound
 * closed again when one bind fails, and open TCP connections closed on stop.
 */

import { LogError } from "../../core/errors.ts";
import { BaseReceiver, type Listener } from "./base.ts";
import { formatListenUrl, receiverAddresses, type ListenAddress } from "./listen-url.ts";
import type { ReceiverConfig, ReceiverContext } from "./receiver.ts";
import { listenTcp, type ConnectionHandler, type TcpConnection, type TcpListener } from "./tcp.ts";
import { loadTls } from "./tls.ts";
import { listenUdp } from "./udp.ts";
import { DatagramQueue, type DeliverDatagram } from "./datagram-queue.ts";

export abstract class SocketReceiver extends BaseReceiver {
  protected readonly addresses: ListenAddress[];
  private tcp: TcpListener[] = [];

  /** `transports`: the listen schemes this type accepts, named in the error for others. */
  constructor(config: ReceiverConfig, ctx: ReceiverContext, transports: readonly ListenAddress["transport"][], schemes: string) {
    super(config, ctx);
    this.addresses = receiverAddresses(config, transports, schemes);
  }

  /** Handles one accepted TCP/TLS connection. */
  protected abstract connection(conn: TcpConnection): ConnectionHandler;

  /**
   * The handler of a connection driven by a protocol session: bytes go to `session.data`,
   * reads pause while the ingest queue is full, `session.closed` runs when the peer is gone.
   */
  protected sessionHandler(conn: TcpConnection, session: { data(chunk: Uint8Array): void; closed(): void }): ConnectionHandler {
    return {
      data: (chunk) => {
        session.data(chunk);
        if (this.pipeline.full) conn.pauseForSpace();
      },
      closed: () => session.closed(),
    };
  }

  /**
   * Binds UDP address `a` (SO_RCVBUF `recvBufferBytes`) and hands each datagram to `deliver`;
   * while the ingest queue is full datagrams wait in a DatagramQueue of `queueBytes` and are
   * handed on in order, past it they are dropped and counted. Closing the listener hands on
   * what the queue still holds.
   */
  protected async listenUdpQueued(a: ListenAddress, recvBufferBytes: number, queueBytes: number, deliver: DeliverDatagram): Promise<Listener> {
    const c = this.counters;
    const queue = new DatagramQueue(queueBytes, this.pipeline, deliver, c);
    const udp = await listenUdp({
      address: a,
      recvBufferBytes,
      onCrash: (err) => this.crashed(err),
      onShortBuffer: (m) => this.report("warn", "bind", m),
      message: (d, remote) => {
        c.bytes += d.length;
        if (!queue.offer(d, remote, this.clock())) c.drop("queue_full", 1, d.length, `ingest queue full and ${queueBytes} bytes of datagrams held, datagram from ${remote}`);
      },
    });
    return {
      address: udp.address,
      close() {
        udp.close();
        queue.flush();
      },
    };
  }

  /** Binds a UDP address (types that accept udp:// override this). */
  protected openUdp(a: ListenAddress): Promise<Listener[]> {
    return Promise.reject(new LogError("invalid_argument", `receiver ${this.id}: no UDP listener for ${formatListenUrl(a)}`));
  }

  protected override async open(): Promise<Listener[]> {
    const out: Listener[] = [];
    this.tcp = [];
    try {
      for (const a of this.addresses) {
        if (a.transport === "udp") {
          out.push(...(await this.openUdp(a)));
          continue;
        }
        const l = listenTcp({
          address: a,
          tls: a.tls ? loadTls(this.config.tls!) : undefined,
          clientAuth: this.config.tls?.clientAuth,
          onTlsReject: (r) => this.tlsRejected(r),
          pipeline: this.pipeline,
          counters: this.counters,
          open: (conn) => this.connection(conn),
          onHandlerError: (where, err) => this.handlerCrashed(where, err),
        });
        this.tcp.push(l);
        out.push(l);
      }
    } catch (err) {
      for (const l of out) l.close();
      throw err;
    }
    return out;
  }

  protected override closeConnections(): void {
    for (const l of this.tcp) l.closeConnections();
  }
}
