/**
 * The receivers of ingest/receivers (network, local sources, Kafka; registry.ts) as server receivers:
 * config entries (ReceiverEntry) are adapted to ingest's ReceiverConfig, every receiver feeds the server's ONE
 * IngestPipeline (group commit across receivers; its Appender is the routed ingest), and each
 * Receiver is wrapped as a ManagedReceiver whose view() comes from stats(). Chatterbox stays in
 * receivers.ts. Events (bind failures, crashes, decode errors) go to the receiver's logger.
 */

import type { ReceiverView } from "../../api/host.ts";
import type { ReceiverEntry } from "../../config/schema.ts";
import { IngestPipeline, type PipelineOptions } from "../../ingest/pipeline/pipeline.ts";
import type { Receiver, ReceiverConfig, ReceiverContext, ReceiverEvent, ReceiverStats } from "../../ingest/receivers/receiver.ts";
import { RECEIVER_TYPES } from "../../ingest/receivers/registry.ts";
import type { Logger } from "../../observability/logger.ts";
import { BUILTIN_RECEIVERS, stringParams, type IngestFn, type ManagedReceiver, type ManagedReceiverFactory } from "./receivers.ts";

/**
 * A config entry in ingest's terms. TLS: cert/key/ca map to certFile/keyFile/caFile;
 * clientAuth "require" demands a client certificate signed by `ca`, "request" asks for one and
 * refuses one that does not verify, "none" asks for none.
 */
export function toIngestReceiverConfig(c: Readonly<ReceiverEntry>): ReceiverConfig {
  const out: ReceiverConfig = { type: c.type, id: c.id, listen: [...c.listen], options: c.options };
  if (c.tls) {
    out.tls = { certFile: c.tls.cert, keyFile: c.tls.key, clientAuth: c.tls.clientAuth };
    if (c.tls.ca !== "") out.tls.caFile = c.tls.ca;
  }
  return out;
}

/**
 * The server's shared ingest pipeline: batches from every receiver go through `ingest` (the
 * router, resolving once durable), so acks follow durability. Failed appends are logged.
 */
export function routedPipeline(ingest: IngestFn, logger: Logger, options: PipelineOptions = {}): IngestPipeline {
  return new IngestPipeline(
    {
      async append(records) {
        await ingest(records);
      },
    },
    { onError: (m) => logger.error(m), ...options },
  );
}

/** What local-source receivers (files, containers, journal) get for their checkpoints. */
export type SourceState = Pick<ReceiverContext, "positions" | "recall">;

/**
 * Every receiver type this build runs: chatterbox plus the ingest receivers on `pipeline`;
 * `state` holds the read positions of local sources and the stores' recall. Receiver events
 * are logged and also told to `onEvent` (telemetry, metrics).
 */
export function serverReceiverTypes(pipeline: IngestPipeline, state: SourceState = {}, onEvent: (e: ReceiverEvent) => void = () => {}): Record<string, ManagedReceiverFactory> {
  const out: Record<string, ManagedReceiverFactory> = { ...BUILTIN_RECEIVERS };
  for (const [type, create] of Object.entries(RECEIVER_TYPES)) {
    out[type] = (c, _ingest, logger) => {
      const config = toIngestReceiverConfig(c);
      const r = create()(config, {
        pipeline,
        onEvent: (e) => {
          logEvent(logger, e);
          onEvent(e);
        },
        ...state,
      });
      return managedReceiver(r, pipeline, stringParams({ listen: c.listen.join(","), ...c.options }));
    };
  }
  return out;
}

/**
 * A Receiver as the manager drives it. stop() closes the listeners and then drains the shared
 * pipeline, so everything this receiver queued is durable (or counted as failed) when it resolves.
 */
export function managedReceiver(r: Receiver, pipeline: IngestPipeline, params: Readonly<Record<string, string>>): ManagedReceiver {
  return {
    start: () => r.start(),
    async stop() {
      await r.stop();
      await pipeline.drain();
    },
    view: () => statsView(r.stats(), params),
  };
}

/** ReceiverStats -> ReceiverView (records = messages accepted into the queue). */
function statsView(s: ReceiverStats, params: Readonly<Record<string, string>>): ReceiverView {
  const net: NonNullable<ReceiverView["net"]> = {
    bytes: s.bytes,
    parseErrors: s.parseErrors,
    dropped: s.dropped,
    droppedBytes: s.droppedBytes,
    stored: s.stored,
    acked: s.acked,
    duplicates: s.duplicates,
    queueWaitMicros: s.queueWaitMicros,
    listening: s.listening,
    restarts: s.restarts,
    connections: s.connections,
    heldDatagrams: s.heldDatagrams,
    heldDatagramBytes: s.heldDatagramBytes,
    tlsRejected: s.tlsRejected,
  };
  if (s.lastError !== undefined) {
    net.lastError = s.lastError;
    net.lastErrorAt = s.lastErrorAt;
  }
  return { name: s.id, type: s.type, params, state: s.state, records: s.messages, errors: s.errors, net };
}

function logEvent(logger: Logger, e: ReceiverEvent): void {
  logger[e.level](e.kind === "started" || e.kind === "stopped" ? `receiver ${e.message}` : e.message, { receiver: e.receiver, event: e.kind });
}
