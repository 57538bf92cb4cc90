/**
 * Metrics read at scrape time from figures other components already keep (receiver counters,
 * routing, the ingest queue, store catalogs, retention, the config version, telemetry), so
 * nothing on the ingest path pays for them. The composition root supplies MetricsSources as
 * plain data (observability imports no engine or API types).
 */

import { Counter, Gauge } from "prom-client";
import type { Metrics } from "./metrics.ts";

/** A network receiver's counters since it (re)started. */
export interface ReceiverNetCounters {
  bytes: number;
  parseErrors: number;
  dropped: Readonly<Record<string, number>>;
  droppedBytes: number;
  stored: number;
  acked: number;
  duplicates: number;
  queueWaitMicros: number;
  connections: number;
  /** Datagrams (and bytes) a UDP receiver holds now while the ingest queue is full. */
  heldDatagrams: number;
  heldDatagramBytes: number;
}

/** One receiver: records accepted, and the network counters when it has them. */
export interface ReceiverFigures {
  id: string;
  type: string;
  records: number;
  net?: ReceiverNetCounters;
}

/** One open store's catalog figures. */
export interface StoreFigures {
  name: string;
  /** Chunks by listed state (active, sealing, seal_retry, sealed, corrupt). */
  chunks: Readonly<Record<string, number>>;
  records: number;
  rawBytes: number;
  storedBytes: number;
  indexBytes: number;
  /** Chunks whose seal failed, waiting for a retry. */
  sealRetries: number;
}

export interface MetricsSources {
  build: { version: string; commit: string; runtime: string };
  /** Epoch µs when the server started. */
  startedAt: number;
  now(): number;
  receivers(): readonly ReceiverFigures[];
  routing(): { routed: number; unrouted: number; perStore: Readonly<Record<string, number>> } | undefined;
  queue(): { queued: number; queuedBytes: number; batches: number; appended: number; appendErrors: number } | undefined;
  stores(): readonly StoreFigures[];
  retention(): { sweeps: number; deleted: Readonly<Record<string, number>>; bytesFreed: number; errors: number } | undefined;
  config(): { version: number; applied: number } | undefined;
  /** Telemetry events by kind (message drops, index-build failures, query errors). */
  telemetry(): Readonly<Record<string, number>>;
}

type Series = [Record<string, string>, number][];

const NO_NET: ReceiverNetCounters = { bytes: 0, parseErrors: 0, dropped: {}, droppedBytes: 0, stored: 0, acked: 0, duplicates: 0, queueWaitMicros: 0, connections: 0, heldDatagrams: 0, heldDatagramBytes: 0 };

/** One series per entry of `values`, labelled `label`=key. */
function byLabel(label: string, values: Readonly<Record<string, number>> | undefined): Series {
  return Object.entries(values ?? {}).map(([v, n]) => [{ [label]: v }, n]);
}

/** Registers every scrape-time metric of `src` on `m`. */
export function registerSources(m: Metrics, src: MetricsSources): void {
  const registers = [m.registry];
  /** A collect() that replaces the metric's series by what `read` returns now. */
  const refill = <M extends { reset(): void }>(read: () => Series, put: (m: M, labels: Record<string, string>, v: number) => void) =>
    function (this: M) {
      this.reset();
      for (const [l, v] of read()) put(this, l, v);
    };
  const counter = (name: string, help: string, labelNames: string[], read: () => Series) =>
    new Counter({ name, help, labelNames, registers, collect: refill<Counter>(read, (c, l, v) => c.inc(l, v)) });
  const gauge = (name: string, help: string, labelNames: string[], read: () => Series) =>
    new Gauge({ name, help, labelNames, registers, collect: refill<Gauge>(read, (g, l, v) => g.set(l, v)) });
  const perReceiver = (pick: (r: ReceiverNetCounters) => number): (() => Series) => () => src.receivers().map((r) => [{ receiver: r.id, type: r.type }, pick(r.net ?? NO_NET)]);
  const perStore = (pick: (s: StoreFigures) => number): (() => Series) => () => src.stores().map((s) => [{ store: s.name }, pick(s)]);
  const one = (v: number | undefined): Series => (v === undefined ? [] : [[{}, v]]);

  gauge("gastrolog_build_info", "Version, commit and runtime of this build (always 1).", ["version", "commit", "runtime"], () => [[src.build, 1]]);
  gauge("gastrolog_uptime_seconds", "Seconds since the server started.", [], () => [[{}, (src.now() - src.startedAt) / 1e6]]);

  const R = ["receiver", "type"];
  counter("gastrolog_receiver_records_total", "Messages a receiver accepted into the ingest queue.", R, () => src.receivers().map((r) => [{ receiver: r.id, type: r.type }, r.records]));
  counter("gastrolog_receiver_bytes_total", "Bytes a receiver read from the wire (after TLS, before decompression).", R, perReceiver((r) => r.bytes));
  counter("gastrolog_receiver_parse_errors_total", "Messages stored with a parse_error attr, plus undecodable frames.", R, perReceiver((r) => r.parseErrors));
  counter("gastrolog_receiver_dropped_total", "Input a receiver dropped, by reason (queue_full, oversize, decode_failed, append_failed, ...).", [...R, "reason"], () =>
    src.receivers().flatMap((r) => byLabel("reason", r.net?.dropped).map(([l, n]): Series[number] => [{ receiver: r.id, type: r.type, ...l }, n])),
  );
  counter("gastrolog_receiver_dropped_bytes_total", "Bytes a receiver discarded with dropped input.", R, perReceiver((r) => r.droppedBytes));
  counter("gastrolog_receiver_stored_records_total", "Records of a receiver the stores made durable.", R, perReceiver((r) => r.stored));
  counter("gastrolog_receiver_acked_records_total", "Messages acknowledged to clients once durable (RELP rsp, HTTP X-Wait-Ack, ...).", R, perReceiver((r) => r.acked));
  counter("gastrolog_receiver_duplicate_records_total", "Messages a client resent that were already stored.", R, perReceiver((r) => r.duplicates));
  counter("gastrolog_receiver_queue_wait_seconds_total", "Summed time the receiver's stored records waited in the ingest queue.", R, perReceiver((r) => r.queueWaitMicros / 1e6));
  gauge("gastrolog_receiver_connections", "Open connections of a receiver.", R, perReceiver((r) => r.connections));
  gauge("gastrolog_receiver_held_datagrams", "Datagrams a UDP receiver holds while the ingest queue is full (datagramQueueBytes bounds their bytes).", R, perReceiver((r) => r.heldDatagrams));
  gauge("gastrolog_receiver_held_datagram_bytes", "Bytes of the datagrams a UDP receiver holds while the ingest queue is full.", R, perReceiver((r) => r.heldDatagramBytes));

  counter("gastrolog_ingest_routed_records_total", "Routed records per store they reached (the routing distribution).", ["store"], () => byLabel("store", src.routing()?.perStore));
  counter("gastrolog_ingest_unrouted_records_total", "Records that matched no store's route (kept nowhere).", [], () => one(src.routing()?.unrouted));
  gauge("gastrolog_ingest_queue_records", "Records waiting in the shared ingest queue.", [], () => one(src.queue()?.queued));
  gauge("gastrolog_ingest_queue_bytes", "Bytes waiting in the shared ingest queue.", [], () => one(src.queue()?.queuedBytes));
  counter("gastrolog_ingest_batches_total", "Appends of the shared ingest queue (group commits).", [], () => one(src.queue()?.batches));
  counter("gastrolog_ingest_append_failures_total", "Appends of the shared ingest queue that failed.", [], () => one(src.queue()?.appendErrors));

  gauge("gastrolog_store_chunks", "Chunks of a store by state.", ["store", "state"], () => src.stores().flatMap((s) => byLabel("state", s.chunks).map(([l, n]): Series[number] => [{ store: s.name, ...l }, n])));
  gauge("gastrolog_store_records", "Records held by a store.", ["store"], perStore((s) => s.records));
  gauge("gastrolog_store_raw_bytes", "Raw bytes of the records held by a store.", ["store"], perStore((s) => s.rawBytes));
  gauge("gastrolog_store_stored_bytes", "Bytes a store occupies on disk or in memory (segments and active chunks).", ["store"], perStore((s) => s.storedBytes));
  gauge("gastrolog_store_index_bytes", "Bytes of index sections of a store.", ["store"], perStore((s) => s.indexBytes));
  gauge("gastrolog_store_seal_retry_chunks", "Chunks whose seal failed while the server runs, waiting for a retry with backoff (kept as active data).", ["store"], perStore((s) => s.sealRetries));

  counter("gastrolog_retention_sweeps_total", "Retention sweeps run.", [], () => one(src.retention()?.sweeps));
  counter("gastrolog_retention_deleted_chunks_total", "Chunks deleted by retention, by reason (age, chunks, bytes).", ["reason"], () => byLabel("reason", src.retention()?.deleted));
  counter("gastrolog_retention_freed_bytes_total", "Bytes freed by retention.", [], () => one(src.retention()?.bytesFreed));
  counter("gastrolog_retention_errors_total", "Chunk deletions that failed (retried at the next sweep).", [], () => one(src.retention()?.errors));

  gauge("gastrolog_config_version", "The current stored config version.", [], () => one(src.config()?.version));
  gauge("gastrolog_config_applied_version", "The newest config version the server applied.", [], () => one(src.config()?.applied));
  counter("gastrolog_telemetry_events_total", "Events telemetry tracked, by kind (message_drop, index_build_failure, query_error).", ["kind"], () => byLabel("kind", src.telemetry()));
}
