/**
 * OTLP logs receiver: OTLP/HTTP `POST /v1/logs` on http:// or https:// (http.ts) and OTLP/gRPC
 * LogsService/Export on its own port, grpc:// (h2c) or grpcs:// (TLS) (grpc.ts). TLS on both
 * follows the shared client-certificate policy (security/tls.ts). Every export is answered once
 * its records are durable. Options: maxBodyBytes (16 MiB, one request or gRPC message on the
 * wire), maxDecodedBytes (64 MiB, after gzip).
 */

import type { Server } from "bun";
import { BaseReceiver, type Listener } from "../base.ts";
import { listenHttps } from "../https-server.ts";
import { formatListenUrl, receiverAddresses, type ListenAddress } from "../listen-url.ts";
import { checkOptionKeys, intOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import type { ExportContext } from "./export.ts";
import { listenGrpc } from "./grpc.ts";
import { handleOtlpHttp } from "./http.ts";

const OPTIONS = ["maxBodyBytes", "maxDecodedBytes"] as const;

export class OtlpReceiver extends BaseReceiver {
  private readonly addresses: ListenAddress[];
  private readonly maxBody: number;
  private readonly exportContext: ExportContext;

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx);
    checkOptionKeys(config, OPTIONS);
    this.addresses = receiverAddresses(config, ["http", "grpc"], "http://, https://, grpc:// or grpcs://");
    this.maxBody = intOption(config, "maxBodyBytes", 16 << 20, 1024);
    this.exportContext = { pipeline: this.pipeline, counters: this.counters, clock: this.clock, maxDecodedBytes: intOption(config, "maxDecodedBytes", 64 << 20, 1024) };
  }

  protected override async open(): Promise<Listener[]> {
    const out: Listener[] = [];
    try {
      for (const a of this.addresses) out.push(await this.listen(a));
    } catch (err) {
      for (const l of out) l.close();
      throw err;
    }
    return out;
  }

  private async listen(a: ListenAddress): Promise<Listener> {
    const base = (remote: string) => ({ receiver: this.id, remote_ip: remote });
    if (a.transport === "grpc") {
      const l = await listenGrpc({
        hostname: a.hostname,
        port: a.port,
        tls: a.tls ? this.config.tls : undefined,
        ctx: this.exportContext,
        maxMessageBytes: this.maxBody,
        base,
        onTlsReject: (r) => this.tlsRejected(r),
        onError: (err) => this.handlerCrashed("gRPC call", err),
      });
      return { address: formatListenUrl({ ...a, port: l.port }), close: () => l.close() };
    }
    if (a.tls) {
      const l = await listenHttps({
        hostname: a.hostname,
        port: a.port,
        tls: this.config.tls!,
        fetch: (req, remote) => handleOtlpHttp(this.exportContext, this.maxBody, req, base(remote)),
        onTlsReject: (r) => this.tlsRejected(r),
        onError: (err) => this.handlerCrashed("HTTPS request", err),
      });
      return { address: formatListenUrl({ ...a, port: l.port }), close: () => l.close() };
    }
    const server: Server<undefined> = Bun.serve({
      hostname: a.hostname,
      port: a.port,
      // The limit is enforced in the handler so the client is told it (Bun's 413 is empty).
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      fetch: (req, srv) => handleOtlpHttp(this.exportContext, this.maxBody, req, base(srv.requestIP(req)?.address ?? "")),
      error: (err) => {
        this.handlerCrashed("HTTP request", err);
        return new Response("internal error\n", { status: 500 });
      },
    });
    return { address: formatListenUrl({ ...a, port: server.port ?? a.port }), close: () => void server.stop(true) };
  }
}

/** Registry entry. */
export function createOtlpReceiver(config: ReceiverConfig, ctx: ReceiverContext): OtlpReceiver {
  return new OtlpReceiver(config, ctx);
}
