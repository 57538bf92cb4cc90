/**
 * Wires metrics and telemetry into the engine's parts: the hooks stores, the host and the
 * ingest pipeline call (StoreObserver, HostObserver, onBatch), receiver events that telemetry
 * remembers, and the scrape-time MetricsSources read from the host. Metrics are optional
 * (`serve` has them; the embedded REPL does not); telemetry always runs (status shows it).
 */

import type { LocalHost } from "../../api/local-host.ts";
import type { HostObserver } from "../../api/local-host.ts";
import type { ReceiverView } from "../../api/host.ts";
import { listedState } from "../../api/convert/chunk.ts";
import { nowMicros } from "../../core/time.ts";
import type { ReceiverEvent } from "../../ingest/receivers/receiver.ts";
import type { Metrics } from "../../observability/metrics.ts";
import type { MetricsSources } from "../../observability/metrics-sources.ts";
import type { Telemetry, TelemetryView } from "../../observability/telemetry.ts";
import type { StoreObserver } from "../../storage/options.ts";

/** Attrs of an unrouted record kept in its telemetry context. */
const MAX_SAMPLE = 300;

/** What the engine observes with. */
export interface Observation {
  metrics?: Metrics;
  telemetry: Telemetry;
}

/** Hooks for the store `store`: fsync and seal metrics; failed index sections go to telemetry. */
export function storeObserver(store: string, o: Observation): StoreObserver {
  const m = o.metrics;
  return {
    synced: m ? (ms) => m.fsyncSeconds.observe({ store }, ms / 1000) : undefined,
    sealed(r) {
      m?.seals.inc({ store });
      m?.sealSeconds.observe({ store }, r.millis / 1000);
      m?.indexSeconds.observe({ store }, r.indexMillis / 1000);
      for (const s of r.sections) {
        if (s.status !== "failed") m?.indexSections.inc({ store, section: s.name, status: s.status });
        else m?.indexFailures.inc({ store });
      }
      for (const e of r.errors) o.telemetry.note("index_build_failure", `index build failed: ${e}`, { store, chunk: r.chunk });
    },
    sealFailed(message) {
      m?.sealFailures.inc({ store });
      o.telemetry.note("index_build_failure", `seal failed (the chunk stays active data): ${message}`, { store });
    },
    sealSlotTimeout() {
      m?.sealSlotTimeouts.inc({ store });
    },
  };
}

/** Hooks of the host: per-store ingest metrics; unrouted records reported as message drops. */
export function hostObserver(o: Observation): HostObserver {
  const m = o.metrics;
  return {
    appended: m
      ? (store, records, bytes, ms) => {
          m.storeRecords.inc({ store }, records);
          m.storeBytes.inc({ store }, bytes);
          m.appendSeconds.observe({ store }, ms / 1000);
        }
      : undefined,
    unrouted(records, sample) {
      o.telemetry.report("message_drop", "unrouted", `${records} record(s) matched no store's route and were not stored`, { reason: "unrouted", records: String(records), attrs: JSON.stringify(sample).slice(0, MAX_SAMPLE) }, records);
    },
  };
}

/** The pipeline's batch hook: how long each batch's oldest record waited. */
export function batchObserver(o: Observation): ((records: number, waitMs: number) => void) | undefined {
  const m = o.metrics;
  return m ? (_records, waitMs) => m.ingestBatchWait.observe(waitMs / 1000) : undefined;
}

/**
 * Receiver events: dropped or undecodable input is remembered by telemetry (the receiver
 * logged it); refused TLS clients are counted by reason.
 */
export function noteReceiverEvent(o: Observation, e: ReceiverEvent): void {
  if (e.kind === "drop") o.telemetry.note("message_drop", e.message, { receiver: e.receiver }, 0);
  if (e.kind === "tls") o.metrics?.tlsRejected.inc({ listener: e.receiver, reason: e.reason ?? "handshake_failed" });
}

/**
 * Telemetry as status shows it: message drops count every receiver's drops (their counters)
 * plus the unrouted records telemetry counted itself.
 */
export function telemetryViews(o: Observation, receivers: readonly ReceiverView[]): TelemetryView[] {
  let dropped = 0;
  for (const r of receivers) for (const n of Object.values(r.net?.dropped ?? {})) dropped += n;
  return o.telemetry.snapshot().map((v) => (v.kind === "message_drop" ? { ...v, count: v.count + dropped } : v));
}

/** Scrape-time metric sources over the host. */
export function hostSources(host: LocalHost): MetricsSources {
  return {
    build: host.version(),
    startedAt: host.startedAt,
    now: nowMicros,
    receivers: () => host.receivers().map((r) => ({ id: r.name, type: r.type, records: r.records, net: r.net })),
    routing: () => host.routing(),
    queue: () => host.ingestQueue(),
    stores: () =>
      host.stores().map((s) => {
        const chunks: Record<string, number> = {};
        let records = 0, raw = 0, stored = 0, index = 0;
        for (const m of s.source.store.chunks()) {
          const state = listedState(m);
          chunks[state] = (chunks[state] ?? 0) + 1;
          records += m.records;
          raw += m.rawBytes;
          stored += m.storedBytes;
          index += m.indexBytes;
        }
        const sealRetries = s.source.store.sealRetries?.().length ?? 0;
        return { name: s.name, chunks, records, rawBytes: raw, storedBytes: stored, indexBytes: index, sealRetries };
      }),
    retention: () => host.retention?.stats(),
    config: () => (host.config ? { version: host.config.store.current().version, applied: host.config.appliedVersion() } : undefined),
    telemetry: () => Object.fromEntries(host.telemetry().map((t) => [t.kind, t.count])),
  };
}
