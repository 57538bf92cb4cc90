/**
 * HTTP receiver on Bun.serve (http://) or node:https (https://, with the shared mTLS policy;
 * https-server.ts says why not Bun.serve):
 *   POST /loki/api/v1/push, /api/prom/push  Loki push, JSON or protobuf+Snappy (204)
 *   POST /ingest/ndjson                     one JSON object per line (parse/ndjson.ts)
 *   POST /ingest/text                       one record per line
 *   POST /upload                            systemd-journal-upload (journal-upload.ts)
 *   GET  /ready                             200 while running
 * gzip/deflate bodies are inflated; query parameters of /ingest/* and X-Scope-OrgID (`tenant`)
 * become attrs. A full queue answers 429 with Retry-After, a body over maxBodyBytes 413 naming
 * the limit; `X-Wait-Ack: true` holds the answer until the records are durable (200, or 503
 * when the append failed), else 204 at once.
 * Options: maxBodyBytes (16 MiB, compressed), maxDecodedBytes (64 MiB), tzOffsetMinutes (0).
 */

import type { Server } from "bun";
import { uncompress as snappyUncompress } from "snappyjs";
import { gunzipSync, inflateSync } from "node:zlib";
import { LogError, errorMessage } from "../../../core/errors.ts";
import type { RecordInput } from "../../../core/record.ts";
import { BaseReceiver, type Listener } from "../base.ts";
import { formatListenUrl, receiverAddresses, type ListenAddress } from "../listen-url.ts";
import { checkOptionKeys, intOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { listenHttps } from "../https-server.ts";
import { oversizeMessage, readLimitedBody } from "./body.ts";
import { lokiJsonRecords, lokiProtoRecords } from "./loki.ts";
import { JOURNAL_UPLOAD_PATH, journalUpload, UploadSequence } from "./journal-upload.ts";
import { ndjsonRecords, textRecords } from "./lines.ts";

const OPTIONS = ["maxBodyBytes", "maxDecodedBytes", "tzOffsetMinutes"] as const;
const LOKI_PATHS = new Set(["/loki/api/v1/push", "/api/prom/push"]);

type Handler = (body: Uint8Array, req: Request, base: Record<string, string>, now: number) => RecordInput[];

export class HttpReceiver extends BaseReceiver {
  private readonly addresses: ListenAddress[];
  private readonly maxBody: number;
  private readonly maxDecoded: number;
  private readonly tzOffsetMinutes: number;
  private readonly uploads = new UploadSequence();

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx);
    checkOptionKeys(config, OPTIONS);
    this.addresses = receiverAddresses(config, ["http"], "http:// or https://");
    this.maxBody = intOption(config, "maxBodyBytes", 16 << 20, 1024);
    this.maxDecoded = intOption(config, "maxDecodedBytes", 64 << 20, 1024);
    this.tzOffsetMinutes = intOption(config, "tzOffsetMinutes", 0, -1440, 1440);
  }

  protected override async open(): Promise<Listener[]> {
    const out: Listener[] = [];
    try {
      for (const a of this.addresses) {
        if (a.tls) {
          const l = await listenHttps({
            hostname: a.hostname,
            port: a.port,
            tls: this.config.tls!,
            fetch: (req, remote) => this.handle(req, remote),
            onTlsReject: (r) => this.tlsRejected(r),
            onError: (err) => this.handlerCrashed("HTTPS request", err),
          });
          out.push({ address: formatListenUrl({ ...a, port: l.port }), close: () => l.close() });
          continue;
        }
        const server: Server<undefined> = Bun.serve({
          hostname: a.hostname,
          port: a.port,
          // The limit is enforced in handle() so the client is told it (Bun's 413 is empty).
          maxRequestBodySize: Number.MAX_SAFE_INTEGER,
          fetch: (req, srv) => this.handle(req, srv.requestIP(req)?.address ?? ""),
          error: (err) => {
            this.handlerCrashed("HTTP request", err);
            return new Response("internal error\n", { status: 500 });
          },
        });
        out.push({ address: formatListenUrl({ ...a, port: server.port ?? a.port }), close: () => void server.stop(true) });
      }
    } catch (err) {
      for (const l of out) l.close();
      throw err;
    }
    return out;
  }

  private async handle(req: Request, remote: string): Promise<Response> {
    const url = new URL(req.url);
    if (req.method === "GET" && url.pathname === "/ready") return new Response("ready\n");
    const handler = this.route(url.pathname);
    if (!handler && url.pathname !== JOURNAL_UPLOAD_PATH) return new Response(`no such endpoint: ${url.pathname}\n`, { status: 404 });
    if (req.method !== "POST") return new Response("use POST\n", { status: 405, headers: { allow: "POST" } });
    if (!handler) {
      return journalUpload(req, {
        pipeline: this.pipeline,
        counters: this.counters,
        base: { receiver: this.id, remote_ip: remote },
        now: this.clock,
        inflate: (b, e) => this.inflate(b, e),
        maxBody: this.maxBody,
        seen: this.uploads,
      });
    }
    const c = this.counters;
    if (this.pipeline.full) {
      c.drop("queue_full", 1, Number(req.headers.get("content-length") ?? 0), `ingest queue full, ${url.pathname} from ${remote} answered 429`);
      return new Response("ingest queue full, retry later\n", { status: 429, headers: { "retry-after": "1" } });
    }
    const read = await readLimitedBody(req, this.maxBody);
    if (!read.ok) {
      c.bytes += read.seen;
      const msg = oversizeMessage(read.seen, req.headers.has("content-length"), this.maxBody);
      c.drop("oversize", 1, read.seen, `${url.pathname} from ${remote}: ${msg}`);
      return new Response(`${msg}\n`, { status: 413, headers: { connection: "close" } });
    }
    const raw = read.bytes;
    c.bytes += raw.length;
    const now = this.clock();
    let records: RecordInput[];
    try {
      const body = this.inflate(raw, req.headers.get("content-encoding"));
      const base: Record<string, string> = { receiver: this.id, remote_ip: remote };
      const tenant = req.headers.get("x-scope-orgid");
      if (tenant) base.tenant = tenant;
      if (!LOKI_PATHS.has(url.pathname)) for (const [k, v] of url.searchParams) base[k] = v;
      records = handler(body, req, base, now);
    } catch (err) {
      c.drop("decode_failed", 1, raw.length, `${url.pathname} from ${remote}: ${errorMessage(err)}`);
      return new Response(`${errorMessage(err)}\n`, { status: err instanceof LogError && err.code === "unavailable" ? 415 : 400 });
    }
    let seq = this.pipeline.lastSeq;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (r.attrs.parse_error !== undefined) c.parseErrors++;
      seq = this.pipeline.push(r, c);
    }
    if (req.headers.get("x-wait-ack")?.toLowerCase() !== "true") return new Response(null, { status: 204 });
    const ok = records.length === 0 || (await this.pipeline.whenDurable(seq));
    if (!ok) return new Response("records were not stored\n", { status: 503, headers: { "retry-after": "1" } });
    c.acked += records.length;
    return Response.json({ accepted: records.length });
  }

  private route(path: string): Handler | undefined {
    if (LOKI_PATHS.has(path)) return (body, req, base, now) => this.loki(body, req, base, now);
    const ctx = { year: 1970, tzOffsetMinutes: this.tzOffsetMinutes };
    if (path === "/ingest/ndjson") return (body, _req, base, now) => ndjsonRecords(body, base, now, { ...ctx, year: yearOf(now) });
    if (path === "/ingest/text") return (body, _req, base, now) => textRecords(body, base, now, { ...ctx, year: yearOf(now) });
    return undefined;
  }

  private loki(body: Uint8Array, req: Request, base: Record<string, string>, now: number): RecordInput[] {
    const type = req.headers.get("content-type") ?? "";
    if (type.includes("json")) return lokiJsonRecords(new TextDecoder().decode(body), base, now);
    let plain: Uint8Array;
    try {
      plain = snappyUncompress(body, this.maxDecoded);
    } catch (err) {
      throw new LogError("invalid_argument", `Loki protobuf body is not valid Snappy: ${errorMessage(err)}`);
    }
    return lokiProtoRecords(plain, base, now);
  }

  private inflate(b: Uint8Array, encoding: string | null): Uint8Array {
    if (encoding === null || encoding === "" || encoding === "identity") return b;
    if (encoding === "gzip") return gunzipSync(b, { maxOutputLength: this.maxDecoded });
    if (encoding === "deflate") return inflateSync(b, { maxOutputLength: this.maxDecoded });
    throw new LogError("unavailable", `unsupported Content-Encoding ${JSON.stringify(encoding)} (gzip, deflate)`);
  }
}

function yearOf(us: number): number {
  return new Date(us / 1000).getUTCFullYear();
}

/** Registry entry. */
export function createHttpReceiver(config: ReceiverConfig, ctx: ReceiverContext): HttpReceiver {
  return new HttpReceiver(config, ctx);
}
