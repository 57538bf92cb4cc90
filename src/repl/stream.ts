/**
 * One open Search result stream, pulled a record at a time so `query` and `next` can page
 * through it without resume tokens. The server batches hits; `batchSize` is chosen by the
 * caller (about a page) so the first page arrives as soon as it is found.
 */

import type { Hit } from "../api/gen/gastrolog/v1/common_pb.ts";
import type { SearchResponse } from "../api/gen/gastrolog/v1/query_pb.ts";

export class ResultStream {
  private buf: Hit[] = [];
  private at = 0;
  private ended = false;
  /** Warnings (skipped corrupt chunks) not yet shown. */
  readonly warnings: string[] = [];

  constructor(
    private readonly it: AsyncIterator<SearchResponse>,
    private readonly abort: AbortController,
    /** Prompt text: the canonical expression, or "query" for a filterless query. */
    readonly desc: string,
    /** Lowercased terms to highlight. */
    readonly terms: readonly string[],
  ) {}

  /** The next hit, or undefined at the end. Rejects with the RPC error (or on cancel). */
  async next(): Promise<Hit | undefined> {
    while (this.at >= this.buf.length) {
      if (this.ended) return undefined;
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        return undefined;
      }
      this.buf = r.value.hits;
      this.at = 0;
      this.warnings.push(...r.value.warnings);
      if (r.value.done) this.ended = true;
    }
    return this.buf[this.at++];
  }

  /** True once every hit has been taken and the server said the stream is done. */
  exhausted(): boolean {
    return this.ended && this.at >= this.buf.length;
  }

  /** Cancels the RPC (idempotent). */
  close(): void {
    this.ended = true;
    this.buf = [];
    this.abort.abort();
  }
}
