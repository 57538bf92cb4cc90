/**
 * The server's Prometheus metrics: one prom-client Registry per server (no global state), the
 * instruments components update as things happen (appends, fsyncs, seals, index builds,
 * queries, rejected TLS handshakes, refused credentials), process metrics, and the exposition in
 * the Prometheus text format or OpenMetrics (content negotiation on Accept). Figures that
 * already live elsewhere (receiver counters, routing, stores) are read at scrape time
 * (metrics-sources.ts). Names follow the Prometheus conventions: `gastrolog_` prefix, base
 * units, `_total` counters, `_seconds` and `_bytes` suffixes.
 */

import { collectDefaultMetrics, Counter, exponentialBuckets, Histogram, Registry, type RegistryContentType } from "prom-client";

/** Query kinds of the query metrics. */
export type QueryKind = "search" | "follow" | "explain" | "aggregate" | "context";

/** Latency buckets of appends and fsyncs (100 µs .. 2.5 s). */
const IO_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Seal and index-build durations (10 ms .. 2 min). */
const SEAL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Query latency (1 ms .. 60 s). */
const QUERY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Bytes decompressed per query (64 KiB .. 64 GiB, x4). */
const BYTES_BUCKETS = exponentialBuckets(64 * 1024, 4, 11);
/** Blocks decompressed per query (1 .. 65536, x4). */
const BLOCK_BUCKETS = exponentialBuckets(1, 4, 9);

export const OPENMETRICS_CONTENT_TYPE = Registry.OPENMETRICS_CONTENT_TYPE;
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** An exposition ready to be sent. */
export interface Exposition {
  contentType: string;
  body: string;
}

export class Metrics {
  readonly registry = new Registry<RegistryContentType>();
  private scrapes: Promise<unknown> = Promise.resolve();

  readonly storeRecords = this.counter("gastrolog_store_ingested_records_total", "Records appended to a store (receivers, imports through the API and IngestService).", ["store"]);
  readonly storeBytes = this.counter("gastrolog_store_ingested_bytes_total", "Raw bytes of the records appended to a store.", ["store"]);
  readonly appendSeconds = this.histogram("gastrolog_store_append_duration_seconds", "Time from a store append call to its durability (includes the fsync wait).", ["store"], IO_BUCKETS);
  readonly fsyncSeconds = this.histogram("gastrolog_store_fsync_duration_seconds", "One group-commit cycle of an active chunk: fsync of data and attrs, entries write and fsync.", ["store"], IO_BUCKETS);
  readonly seals = this.counter("gastrolog_store_seals_total", "Active chunks sealed into segments.", ["store"]);
  readonly sealSeconds = this.histogram("gastrolog_store_seal_duration_seconds", "Time to seal a chunk (compression and index builds).", ["store"], SEAL_BUCKETS);
  readonly sealSlotTimeouts = this.counter("gastrolog_store_seal_slot_timeouts_total", "Appends refused after waiting too long for a seal slot (seals stuck, e.g. a hung seal worker).", ["store"]);
  readonly sealFailures = this.counter("gastrolog_store_seal_failures_total", "Seals that failed (the chunk stays active data; it is retried with backoff and at the next open).", ["store"]);
  readonly indexSeconds = this.histogram("gastrolog_index_build_duration_seconds", "Time spent in index builders while sealing one chunk.", ["store"], SEAL_BUCKETS);
  readonly indexFailures = this.counter("gastrolog_index_build_failures_total", "Index sections that failed to build (the chunk is searched by scanning).", ["store"]);
  readonly indexSections = this.counter("gastrolog_index_sections_total", "Index sections written, by status (complete, capped or lossy).", ["store", "section", "status"]);
  readonly ingestBatchWait = this.histogram("gastrolog_ingest_queue_wait_seconds", "Time the oldest record of each ingest batch waited in the shared queue.", [], IO_BUCKETS);
  readonly queries = this.counter("gastrolog_queries_total", "Queries run, by kind.", ["kind"]);
  readonly queryErrors = this.counter("gastrolog_query_errors_total", "Queries that failed, by kind and error code.", ["kind", "code"]);
  readonly querySeconds = this.histogram("gastrolog_query_duration_seconds", "Query latency by kind (a follow counts until it ends).", ["kind"], QUERY_BUCKETS);
  readonly queryBytes = this.histogram("gastrolog_query_decompressed_bytes", "Block bytes decompressed per query (block cache hits cost nothing).", ["kind"], BYTES_BUCKETS);
  readonly queryBlocks = this.histogram("gastrolog_query_decompressed_blocks", "Blocks decompressed per query.", ["kind"], BLOCK_BUCKETS);
  readonly tlsRejected = this.counter("gastrolog_tls_handshakes_rejected_total", "TLS connections refused because of the client certificate, by listener and reason.", ["listener", "reason"]);
  readonly authFailures = this.counter("gastrolog_auth_failures_total", "API requests refused: missing, unknown, expired or insufficient credentials.", ["reason"]);

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * The exposition for a scrape whose Accept header is `accept`: OpenMetrics when the client
   * prefers it (Prometheus asks for it first), else the Prometheus text format 0.0.4.
   * Scrapes are serialized because the registry's format is one setting, and prom-client
   * 15 renames counters (drops `_total`) for OpenMetrics in place: their names are put back
   * after such a scrape so the text format keeps them.
   */
  expose(accept: string | undefined): Promise<Exposition> {
    const contentType = prefersOpenMetrics(accept) ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
    const run = this.scrapes.then(async () => {
      this.registry.setContentType(contentType);
      const names = this.registry.getMetricsAsArray().map((m) => [m, m.name] as const);
      try {
        return { contentType, body: await this.registry.metrics() };
      } finally {
        for (const [m, name] of names) (m as { name: string }).name = name;
      }
    });
    this.scrapes = run.catch(() => undefined);
    return run;
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }
}

/** True when Accept ranks application/openmetrics-text above text/plain (q values honoured). */
export function prefersOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  let open = -1;
  let text = -1;
  for (const part of accept.split(",")) {
    const [type = "", ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (type.trim() === "application/openmetrics-text") open = Math.max(open, q);
    else if (type.trim() === "text/plain") text = Math.max(text, q);
  }
  return open > 0 && open >= text;
}
