/**
 * `analyze [<chunk-id>]`: index health and sizes of every store's sealed chunks (one
 * GetIndexReport per sealed chunk, headers only, cheap), or the detailed report of one chunk
 * with term statistics (GetIndexStats, which reads that chunk's index bodies).
 */

import { rpcMessage } from "../client.ts";
import { renderStoreAnalysis, type ChunkReport } from "../render/analyze.ts";
import { renderChunkAnalysis } from "../render/index-stats.ts";
import type { Session } from "../session.ts";
import { showChunk } from "./chunk-arg.ts";
import { jsonLine } from "./json.ts";
import type { ReplCommand } from "./command.ts";

/** The generated module, loaded only for JSON output (start-up builds no descriptors for it). */
const pb = () => import("../../api/gen/gastrolog/v1/store_pb.ts");

async function analyzeAll(s: Session, signal: AbortSignal): Promise<boolean> {
  const [stores, chunks] = await Promise.all([s.client.store.listStores({}, { signal }), s.client.store.listChunks({}, { signal })]);
  if (stores.stores.length === 0) {
    s.note("No stores.");
    return true;
  }
  for (const st of stores.stores) {
    const reports: ChunkReport[] = [];
    for (const chunk of chunks.chunks) {
      if (chunk.store !== st.name || chunk.state !== "sealed") continue;
      try {
        reports.push({ chunk, report: await s.client.store.getIndexReport({ chunk: chunk.id, store: st.name }, { signal }) });
      } catch (err) {
        if (signal.aborted) throw err;
        reports.push({ chunk, error: rpcMessage(err) });
      }
    }
    if (s.settings.output === "json") {
      for (const r of reports) if (r.report) s.row(jsonLine((await pb()).GetIndexReportResponseSchema, r.report));
    } else {
      for (const line of renderStoreAnalysis(st.name, reports)) s.row(line);
    }
  }
  return true;
}

export const analyzeCommand: ReplCommand = {
  name: "analyze",
  usage: "[<chunk-id>]",
  summary: "Index sizes and health per store, or details for one chunk.",
  completion: "chunk",
  async run(s, args, signal) {
    if (args.trim() === "") {
      try {
        return await analyzeAll(s, signal);
      } catch (err) {
        return s.fail(`Error: ${rpcMessage(err)}`);
      }
    }
    return showChunk(s, "analyze", args, async () => (await pb()).GetIndexStatsResponseSchema, (id) => s.client.store.getIndexStats({ chunk: id }, { signal }), renderChunkAnalysis);
  },
};
