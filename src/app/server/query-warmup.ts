/**
 * A server's first Search runs much code for the first time — the gRPC handler and
 * serialization path, the protobuf codec of SearchRequest/SearchResponse, the query metering
 * (AsyncLocalStorage), QueryService, the query parser, planner and scanner — which made it
 * several times slower than the next one. A server calls warmQueryPath() just before it reports ready: one
 * Search, over the gRPC protocol its socket clients speak (in process) and through the query
 * observer (without metrics), of a one-record memory store of its own (its active chunk: the
 * hit is found by the scanner and serialized); no served store is read and nothing is counted
 * in the server's metrics. The index path over the served stores' own chunks is warmed by each
 * store's warm-up (warm-search.ts). Sealing the record here instead would build every index
 * section's tables on the main thread (tens of ms right when the first client arrives).
 * Resolves with the time it took in ms; never throws.
 */

import { createClient } from "@connectrpc/connect";
import { errorMessage } from "../../core/errors.ts";
import { nowMicros } from "../../core/time.ts";
import type { SearchSource } from "../../query/engine/source.ts";
import { createMemoryStore } from "../../storage/memory/memory-store.ts";
import type { ChunkStore } from "../../storage/types.ts";
import { QueryService } from "../../api/gen/gastrolog/v1/query_pb.ts";
import type { BuildInfo, HostStore } from "../../api/host.ts";
import { LocalHost } from "../../api/local-host.ts";
import { queryObserver } from "../../api/query-observer.ts";
import { createGrpcQueryTransport } from "../../api/query-transport.ts";

const STORE = "query-warm-up";

const settings: HostStore["settings"] = {
  kind: "memory",
  dir: "",
  rotation: { maxBytes: 0, maxRecords: 0, maxAgeMicros: 0 },
  durability: { kind: "never" },
  route: "",
  codec: "",
};

/** How the server searches a store (its index cache). */
export interface WarmupWiring {
  version: BuildInfo;
  source(name: string, store: ChunkStore): SearchSource<ChunkStore>;
}

/** Runs one Search (matching its one record) in-process; the result says how long it took, or why it failed. */
export async function warmQueryPath(w: WarmupWiring): Promise<{ millis: number; error?: string }> {
  const t0 = performance.now();
  const store = createMemoryStore(STORE);
  try {
    const now = nowMicros();
    await store.append([{ raw: new TextEncoder().encode("query path warm-up level=info"), attrs: { warm: "up" }, sourceTs: now, ingestTs: now }]);
    const host = new LocalHost({ stores: [{ name: STORE, source: w.source(STORE, store), settings }], version: w.version });
    host.markReady();
    const client = createClient(QueryService, createGrpcQueryTransport(host, [queryObserver({})]));
    let hits = 0;
    for await (const r of client.search({ query: { store: STORE, text: "warm-up level=info", limit: 10 } })) hits += r.hits.length;
    if (hits !== 1) return { millis: performance.now() - t0, error: `warm-up search found ${hits} records, not 1` };
    return { millis: performance.now() - t0 };
  } catch (err) {
    return { millis: performance.now() - t0, error: errorMessage(err) };
  } finally {
    await store.close();
  }
}
