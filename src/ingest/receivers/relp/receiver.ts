/**
 * RELP receiver (rsyslog's reliable event logging protocol) over TCP or TLS. Messages are
 * syslog (parsed like the syslog receiver) and acknowledged only once durable. Options:
 * maxDataBytes (MAX_RAW_BYTES + 1 KiB), tzOffsetMinutes (0).
 */

import { LogError } from "../../../core/errors.ts";
import { MAX_RAW_BYTES } from "../../../core/limits.ts";
import { BaseReceiver, type Listener } from "../base.ts";
import { parseListenUrl, type ListenAddress } from "../listen-url.ts";
import { checkOptionKeys, intOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { SyslogRecords } from "../syslog/records.ts";
import { listenTcp, type ConnectionHandler, type TcpConnection, type TcpListener } from "../tcp.ts";
import { loadTls } from "../tls.ts";
import { ResendTracker } from "./resend.ts";
import { RelpSession } from "./session.ts";

const OPTIONS = ["maxDataBytes", "tzOffsetMinutes"] as const;
/** Our `relp_software` offer (name, version, URL as librelp formats it). */
export const RELP_SOFTWARE = "gastrolog,0.1.0,https://github.com/gastrolog";

export class RelpReceiver extends BaseReceiver {
  private readonly addresses: ListenAddress[];
  private readonly maxData: number;
  private readonly records: SyslogRecords;
  private readonly resends = new ResendTracker();
  private tcp: TcpListener[] = [];

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx);
    checkOptionKeys(config, OPTIONS);
    this.addresses = config.listen.map(parseListenUrl);
    if (this.addresses.length === 0) throw new LogError("invalid_argument", `receiver ${config.id}: needs at least one listen address`);
    for (const a of this.addresses) {
      if (a.transport !== "tcp") throw new LogError("invalid_argument", `receiver ${config.id}: relp listens on tcp:// or tls:// only`);
      if (a.tls && !config.tls) throw new LogError("invalid_argument", `receiver ${config.id}: tls:// needs tls.certFile and tls.keyFile`);
    }
    this.maxData = intOption(config, "maxDataBytes", MAX_RAW_BYTES + 1024, 64);
    this.records = new SyslogRecords(config.id, this.counters, this.pipeline, intOption(config, "tzOffsetMinutes", 0, -1440, 1440));
  }

  protected override async open(): Promise<Listener[]> {
    const out: TcpListener[] = [];
    try {
      for (const a of this.addresses) {
        out.push(
          listenTcp({
            address: a,
            tls: a.tls ? loadTls(this.config.tls!) : undefined,
            pipeline: this.pipeline,
            counters: this.counters,
            open: (conn) => this.connection(conn),
            onHandlerError: (where, err) => this.handlerCrashed(where, err),
          }),
        );
      }
    } catch (err) {
      for (const l of out) l.close();
      throw err;
    }
    this.tcp = out;
    return out;
  }

  protected override closeConnections(): void {
    for (const l of this.tcp) l.closeConnections();
  }

  private connection(conn: TcpConnection): ConnectionHandler {
    const session = new RelpSession({
      io: { write: (s) => conn.write(s), end: () => conn.end() },
      records: this.records,
      pipeline: this.pipeline,
      counters: this.counters,
      resends: this.resends,
      remote: conn.remoteAddress,
      software: RELP_SOFTWARE,
      maxData: this.maxData,
      clock: this.clock,
      onProtocolError: (detail) => this.decodeError(detail),
    });
    return {
      data: (chunk) => {
        session.data(chunk);
        if (this.pipeline.full) conn.pauseForSpace();
      },
      closed: () => session.lost(),
    };
  }
}

/** Registry entry. */
export function createRelpReceiver(config: ReceiverConfig, ctx: ReceiverContext): RelpReceiver {
  return new RelpReceiver(config, ctx);
}
