/**
 * RELP receiver (rsyslog's reliable event logging protocol) over TCP or TLS. Messages are
 * syslog (parsed like the syslog receiver) and acknowledged only once durable. Options:
 * maxDataBytes (MAX_RAW_BYTES + 1 KiB), tzOffsetMinutes (0).
 */

import { MAX_RAW_BYTES } from "../../../core/limits.ts";
import { checkOptionKeys, intOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { SyslogRecords } from "../syslog/records.ts";
import { SocketReceiver } from "../socket-receiver.ts";
import type { ConnectionHandler, TcpConnection } from "../tcp.ts";
import { ResendTracker } from "./resend.ts";
import { RelpSession } from "./session.ts";

const OPTIONS = ["maxDataBytes", "tzOffsetMinutes"] as const;
/** Our `relp_software` offer (name, version, URL as librelp formats it). */
export const RELP_SOFTWARE = "gastrolog,0.1.0,https://github.com/gastrolog";

export class RelpReceiver extends SocketReceiver {
  private readonly maxData: number;
  private readonly records: SyslogRecords;
  private readonly resends = new ResendTracker();

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx, ["tcp"], "tcp:// or tls://");
    checkOptionKeys(config, OPTIONS);
    this.maxData = intOption(config, "maxDataBytes", MAX_RAW_BYTES + 1024, 64);
    this.records = new SyslogRecords(config.id, this.counters, this.pipeline, intOption(config, "tzOffsetMinutes", 0, -1440, 1440));
  }

  protected override connection(conn: TcpConnection): ConnectionHandler {
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
