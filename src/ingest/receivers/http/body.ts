/**
 * Reads an HTTP request body up to a byte limit. Bun's own maxRequestBodySize answers 413 with
 * an empty body before the handler runs, so the receiver sets Bun's limit out of the way and
 * enforces its own here, where it can count the drop and tell the client the limit.
 */

/** The body bytes, or how many bytes were seen (declared or read) when over `max`. */
export type LimitedBody = { ok: true; bytes: Uint8Array } | { ok: false; seen: number };

/**
 * Reads at most `max` bytes: a Content-Length over it is refused unread, one within it is read
 * in one piece; a chunked body is read until it passes the limit, then the stream is cancelled
 * (answer with `Connection: close`).
 */
export async function readLimitedBody(req: Request, max: number): Promise<LimitedBody> {
  const declared = Number(req.headers.get("content-length") ?? -1);
  if (declared > max) return { ok: false, seen: declared };
  if (!req.body) return { ok: true, bytes: new Uint8Array() };
  // A sized body (HTTP framing stops it at Content-Length) is read natively in one piece.
  if (declared >= 0) return { ok: true, bytes: await req.bytes() };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > max) {
      await reader.cancel();
      return { ok: false, seen: n };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, n) };
}

/** The 413 text: how big the body was (a "+" when it was cut off unsized) and the limit. */
export function oversizeMessage(seen: number, sized: boolean, max: number): string {
  return `request body of ${seen}${sized ? "" : "+"} bytes is over the receiver's limit maxBodyBytes=${max}; send smaller batches or raise the option`;
}
