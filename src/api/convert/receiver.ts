/** Receivers and the ingest queue at the API border: host views -> Status messages. */

import type { MessageInitShape } from "@bufbuild/protobuf";
import type { IngestQueueStatusSchema, ReceiverStatusSchema } from "../gen/gastrolog/v1/lifecycle_pb.ts";
import type { IngestQueueView, ReceiverView } from "../host.ts";
import { i64 } from "./int64.ts";

/** One receiver's status with its counters (zeros for receivers without network counters). */
export function toReceiverStatusPb(r: ReceiverView): MessageInitShape<typeof ReceiverStatusSchema> {
  const base = { name: r.name, type: r.type, state: r.state, records: i64(r.records), errors: i64(r.errors), origin: r.origin ?? "config" };
  const n = r.net;
  if (!n) return base;
  return {
    ...base,
    bytes: i64(n.bytes),
    parseErrors: i64(n.parseErrors),
    dropped: Object.fromEntries(Object.entries(n.dropped).map(([k, v]) => [k, i64(v)])),
    droppedBytes: i64(n.droppedBytes),
    stored: i64(n.stored),
    acked: i64(n.acked),
    duplicates: i64(n.duplicates),
    queueWaitUs: i64(n.queueWaitMicros),
    listening: [...n.listening],
    restarts: n.restarts,
    lastError: n.lastError ?? "",
    lastErrorAtUs: i64(n.lastErrorAt ?? 0),
    connections: n.connections,
    heldDatagrams: i64(n.heldDatagrams),
    heldDatagramBytes: i64(n.heldDatagramBytes),
    tlsRejected: i64(n.tlsRejected),
  };
}

/** The shared ingest queue's figures. */
export function toIngestQueuePb(q: IngestQueueView): MessageInitShape<typeof IngestQueueStatusSchema> {
  return { queued: i64(q.queued), queuedBytes: i64(q.queuedBytes), appending: i64(q.appending), batches: i64(q.batches), appended: i64(q.appended), appendErrors: i64(q.appendErrors) };
}
