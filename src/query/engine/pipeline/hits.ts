/**
 * The records sink: turns the rows that reached the end of the pipeline into search hits, with
 * context records around each match when asked, stopping at the limit with a resume token
 * naming the last match. The Search RPC, the CLI and explain analyze consume it (via search()).
 */

import { recordAt } from "../../../storage/record-batch.ts";
import type { ChunkMeta } from "../../../storage/types.ts";
import { ContextWindow } from "../context.ts";
import type { Pacer } from "../pacer.ts";
import { encodeResume, type ResumePoint } from "../resume.ts";
import type { SearchSource } from "../source.ts";
import type { SearchDone, SearchHit, SearchRequest } from "../types.ts";
import type { RowBatch } from "./types.ts";

/** Hits of `input` (matches, and context records when the request asks for them). */
export async function* hitsSink(src: SearchSource, chunks: readonly ChunkMeta[], req: SearchRequest, input: AsyncIterable<RowBatch>, pacer: Pacer): AsyncGenerator<SearchHit, SearchDone> {
  const context = req.contextBefore > 0 || req.contextAfter > 0 ? new ContextWindow(src, chunks, req) : undefined;
  let matches = 0;
  let last: ResumePoint | undefined;
  try {
    for await (const rb of input) {
      for (const i of rb.rows) {
        const pos = rb.batch.first + i;
        if (context) yield* context.before({ ci: rb.chunkIndex, pos });
        yield { store: src.name, ref: { chunk: rb.chunk.id, pos }, record: recordAt(rb.batch, i), context: false };
        context?.matched({ ci: rb.chunkIndex, pos });
        last = { store: src.name, chunk: rb.chunk.id, pos, reverse: req.reverse };
        if (req.limit > 0 && ++matches >= req.limit) {
          if (context) yield* context.flush();
          return { resume: encodeResume(last) };
        }
        if (pacer.due()) await pacer.pause();
      }
    }
    if (context) yield* context.flush();
    return {};
  } finally {
    context?.close();
  }
}
