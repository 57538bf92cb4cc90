/**
 * `POST /upload` as systemd-journal-remote serves it, for systemd-journal-upload: a body in
 * the Journal Export Format (Content-Type application/vnd.fdo.journal), usually chunked and
 * streamed, parsed as it arrives (parse/journal-export.ts) so a long upload never sits in
 * memory; a gzip/deflate body is read whole, so it is held to maxBodyBytes (413 past it) and
 * its inflated size to maxDecodedBytes. Answers 202 "OK." once every entry is durable (the
 * client then saves its cursor), 400 on a malformed body (entries before the fault are kept and counted), 415 for another
 * content type, 429 while the ingest queue is full. systemd-journal-upload resends the last
 * entry it had uploaded when it starts again from its saved cursor: entries whose cursor
 * sequence number (`s=` id, `i=` number) is not past the last stored one of that journal are
 * counted as duplicates and dropped (remembered while the server runs).
 */

import { errorMessage } from "../../../core/errors.ts";
import type { Attrs } from "../../../core/record.ts";
import { JournalExportParser, journalCursor, journalRecord, type JournalEntry } from "../../parse/journal-export.ts";
import type { ReceiverCounters } from "../../pipeline/counters.ts";
import type { IngestPipeline } from "../../pipeline/pipeline.ts";
import { oversizeMessage, readLimitedBody } from "./body.ts";

export const JOURNAL_UPLOAD_PATH = "/upload";
const JOURNAL_TYPE = "application/vnd.fdo.journal";

export interface UploadContext {
  pipeline: IngestPipeline;
  counters: ReceiverCounters;
  base: Attrs;
  now: () => number;
  /** Inflates a compressed body read whole (Content-Encoding gzip/deflate). */
  inflate: (body: Uint8Array, encoding: string) => Uint8Array;
  /** The receiver's maxBodyBytes: a compressed body, read whole, is refused (413) past it. */
  maxBody: number;
  /** Last stored sequence number per journal (cursor `s=`), shared by the receiver's requests. */
  seen: UploadSequence;
}

/** Journals kept in an UploadSequence before the least recently used is forgotten. */
const MAX_JOURNALS = 1024;

/** The last stored entry number of each journal that uploaded here. */
export class UploadSequence {
  private readonly last = new Map<string, number>();

  /** True when the entry with this cursor was stored already. */
  stored(cursor: string): boolean {
    const c = parseSeq(cursor);
    return c !== undefined && c.seq <= (this.last.get(c.id) ?? -1);
  }

  /** Records that the entries with these cursors are durable. */
  commit(cursors: readonly string[]): void {
    for (const cursor of cursors) {
      const c = parseSeq(cursor);
      if (c === undefined || c.seq <= (this.last.get(c.id) ?? -1)) continue;
      this.last.delete(c.id);
      this.last.set(c.id, c.seq);
      if (this.last.size > MAX_JOURNALS) this.last.delete(this.last.keys().next().value!);
    }
  }
}

function parseSeq(cursor: string): { id: string; seq: number } | undefined {
  const m = /(?:^|;)s=([0-9a-f]+);i=([0-9a-f]+)(?:;|$)/.exec(cursor);
  return m ? { id: m[1]!, seq: parseInt(m[2]!, 16) } : undefined;
}

export async function journalUpload(req: Request, ctx: UploadContext): Promise<Response> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.startsWith(JOURNAL_TYPE)) return new Response(`Content-Type must be ${JOURNAL_TYPE}\n`, { status: 415 });
  const { pipeline, counters: c } = ctx;
  if (pipeline.full) {
    c.drop("queue_full", 1, Number(req.headers.get("content-length") ?? 0), `ingest queue full, ${JOURNAL_UPLOAD_PATH} from ${ctx.base.remote_ip} answered 429`);
    return new Response("ingest queue full, retry later\n", { status: 429, headers: { "retry-after": "1" } });
  }
  const parser = new JournalExportParser();
  let seq = pipeline.lastSeq;
  let n = 0;
  const cursors: string[] = [];
  const onEntry = (e: JournalEntry) => {
    const cursor = journalCursor(e);
    if (cursor !== "" && ctx.seen.stored(cursor)) {
      c.duplicates++;
      return;
    }
    cursors.push(cursor);
    const r = journalRecord(e, ctx.base);
    seq = pipeline.push({ raw: r.raw, attrs: r.attrs, sourceTs: r.sourceTs, ingestTs: ctx.now() }, c);
    n++;
  };
  try {
    const encoding = req.headers.get("content-encoding");
    if (encoding !== null && encoding !== "" && encoding !== "identity") {
      const read = await readLimitedBody(req, ctx.maxBody);
      if (!read.ok) {
        const msg = oversizeMessage(read.seen, req.headers.has("content-length"), ctx.maxBody);
        c.bytes += read.seen;
        c.drop("oversize", 1, read.seen, `${JOURNAL_UPLOAD_PATH} from ${ctx.base.remote_ip}: ${msg}`);
        return new Response(`${msg}\n`, { status: 413, headers: { connection: "close" } });
      }
      c.bytes += read.bytes.length;
      parser.push(ctx.inflate(read.bytes, encoding), onEntry);
    } else if (req.body) {
      for await (const chunk of req.body) {
        c.bytes += chunk.length;
        parser.push(chunk, onEntry);
        if (pipeline.full) await pipeline.whenSpace();
      }
    }
    parser.end(onEntry);
  } catch (err) {
    c.parseErrors++;
    c.drop("decode_failed", 1, 0, `${JOURNAL_UPLOAD_PATH} from ${ctx.base.remote_ip}: ${errorMessage(err)} (after ${n} entries)`);
    return new Response(`${errorMessage(err)}\n`, { status: 400 });
  }
  if (n > 0 && !(await pipeline.whenDurable(seq))) return new Response("entries were not stored\n", { status: 503, headers: { "retry-after": "1" } });
  ctx.seen.commit(cursors);
  c.acked += n;
  return new Response("OK.\n", { status: 202 });
}
