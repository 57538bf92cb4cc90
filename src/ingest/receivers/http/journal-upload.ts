/**
 * `POST /upload` as systemd-journal-remote serves it, for systemd-journal-upload: a body in
 * the Journal Export Format (Content-Type application/vnd.fdo.journal), usually chunked and
 * streamed, parsed as it arrives (parse/journal-export.ts) so a long upload never sits in
 * memory. Answers 202 "OK." once every entry is durable (the client then saves its cursor),
 * 400 on a malformed body (entries before the fault are kept and counted), 415 for another
 * content type, 429 while the ingest queue is full.
 */

import { errorMessage } from "../../../core/errors.ts";
import type { Attrs } from "../../../core/record.ts";
import { JournalExportParser, journalRecord, type JournalEntry } from "../../parse/journal-export.ts";
import type { ReceiverCounters } from "../../pipeline/counters.ts";
import type { IngestPipeline } from "../../pipeline/pipeline.ts";

export const JOURNAL_UPLOAD_PATH = "/upload";
const JOURNAL_TYPE = "application/vnd.fdo.journal";

export interface UploadContext {
  pipeline: IngestPipeline;
  counters: ReceiverCounters;
  base: Attrs;
  now: () => number;
  /** Reads a compressed body whole and inflates it (Content-Encoding gzip/deflate). */
  inflate: (body: Uint8Array, encoding: string) => Uint8Array;
  onDecodeError: (message: string) => void;
}

export async function journalUpload(req: Request, ctx: UploadContext): Promise<Response> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.startsWith(JOURNAL_TYPE)) return new Response(`Content-Type must be ${JOURNAL_TYPE}\n`, { status: 415 });
  const { pipeline, counters: c } = ctx;
  if (pipeline.full) {
    c.drop("queue_full", 1, Number(req.headers.get("content-length") ?? 0));
    return new Response("ingest queue full, retry later\n", { status: 429, headers: { "retry-after": "1" } });
  }
  const parser = new JournalExportParser();
  let seq = pipeline.lastSeq;
  let n = 0;
  const onEntry = (e: JournalEntry) => {
    const r = journalRecord(e, ctx.base);
    seq = pipeline.push({ raw: r.raw, attrs: r.attrs, sourceTs: r.sourceTs, ingestTs: ctx.now() }, c);
    n++;
  };
  try {
    const encoding = req.headers.get("content-encoding");
    if (encoding !== null && encoding !== "" && encoding !== "identity") {
      const body = new Uint8Array(await req.arrayBuffer());
      c.bytes += body.length;
      parser.push(ctx.inflate(body, encoding), onEntry);
    } else if (req.body) {
      for await (const chunk of req.body) {
        c.bytes += chunk.length;
        parser.push(chunk, onEntry);
        if (pipeline.full) await pipeline.whenSpace();
      }
    }
    parser.end(onEntry);
  } catch (err) {
    c.drop("decode_failed");
    c.parseErrors++;
    ctx.onDecodeError(`${JOURNAL_UPLOAD_PATH}: ${errorMessage(err)} (after ${n} entries)`);
    return new Response(`${errorMessage(err)}\n`, { status: 400 });
  }
  if (n > 0 && !(await pipeline.whenDurable(seq))) return new Response("entries were not stored\n", { status: 503, headers: { "retry-after": "1" } });
  c.acked += n;
  return new Response("OK.\n", { status: 202 });
}
