/** `stats`, `status` and `receivers` blocks from GetStats and Status (with the telemetry kinds that saw events). Pure. */

import type { StatusResponse } from "../../api/gen/gastrolog/v1/lifecycle_pb.ts";
import type { GetStatsResponse } from "../../api/gen/gastrolog/v1/store_pb.ts";
import { humanBytes, shortTime } from "./units.ts";

const n = (b: bigint | undefined): number => Number(b ?? 0n);

export function renderStats(s: GetStatsResponse): string[] {
  return [
    "System Statistics:",
    `  Stores:      ${s.stores}`,
    `  Chunks:      ${s.chunks} total (${s.sealedChunks} sealed, ${s.activeChunks} active)`,
    `  Records:     ${n(s.records)}`,
    `  Raw bytes:   ${humanBytes(n(s.rawBytes))}`,
    `  Stored:      ${humanBytes(n(s.storedBytes))}`,
    `  Indexes:     ${humanBytes(n(s.indexBytes))}`,
    `  Receivers:   ${s.receivers}`,
  ];
}

export function renderStatus(s: StatusResponse): string[] {
  const receivers = s.receivers.map((r) => r.name).sort();
  const out = [
    "System Status:",
    `  Orchestrator: ${s.phase === "ready" ? "running" : s.phase}`,
    `  Receivers:    ${receivers.length ? receivers.join(", ") : "none"}`,
    "  Stores:",
  ];
  for (const st of s.stores) {
    out.push(`    [${st.name}] ${st.activeChunk ? `active chunk: ${st.activeChunk}` : "no active chunk"}`);
    if (st.pendingIndexChunks > 0) out.push(`    [${st.name}] pending indexes: ${st.pendingIndexChunks} chunks`);
    if (st.sealRetryChunks > 0) out.push(`    [${st.name}] seal failed, retrying: ${st.sealRetryChunks} chunks (next ${shortTime(n(st.nextSealRetryUs))})`);
  }
  const trouble = s.telemetry.filter((t) => n(t.count) > 0);
  if (trouble.length > 0) out.push("  Telemetry:");
  for (const t of trouble) {
    const context = Object.entries(t.context).map(([k, v]) => `${k}=${v}`).join(" ");
    out.push(`    ${t.kind}: ${n(t.count)}${t.lastMessage ? `  last (${shortTime(n(t.lastAtUs))}): ${t.lastMessage}` : ""}`);
    if (context !== "") out.push(`      ${context}`);
  }
  return out;
}

/**
 * One line per receiver, then for network receivers their addresses, counters, drops by reason
 * and last error; the shared ingest queue last.
 */
export function renderReceivers(s: StatusResponse): string[] {
  if (s.receivers.length === 0) return ["No receivers."];
  const rows = [...s.receivers].sort((a, b) => (a.name < b.name ? -1 : 1));
  const out: string[] = [];
  for (const r of rows) {
    const origin = r.origin === "flag" ? "  (flag)" : "";
    out.push(`  ${r.name}  type=${r.type}  state=${r.state}  records=${n(r.records)}  errors=${n(r.errors)}${origin}`);
    if (r.listening.length === 0 && r.lastError === "" && n(r.bytes) === 0) continue;
    out.push(`      listening: ${r.listening.length > 0 ? r.listening.join(", ") : "-"}`);
    const stored = n(r.stored);
    const wait = stored > 0 ? `${(n(r.queueWaitUs) / stored / 1000).toFixed(2)}ms` : "-";
    out.push(`      bytes=${humanBytes(n(r.bytes))}  stored=${stored}  acked=${n(r.acked)}  parse_errors=${n(r.parseErrors)}  duplicates=${n(r.duplicates)}  queue_wait_avg=${wait}  connections=${r.connections}  restarts=${r.restarts}`);
    const drops = Object.entries(r.dropped).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    if (drops.length > 0) out.push(`      dropped: ${drops.map(([k, v]) => `${k}=${n(v)}`).join("  ")}  (${humanBytes(n(r.droppedBytes))})`);
    if (n(r.heldDatagrams) > 0) out.push(`      held datagrams: ${n(r.heldDatagrams)} (${humanBytes(n(r.heldDatagramBytes))}) while the ingest queue is full`);
    if (n(r.tlsRejected) > 0) out.push(`      tls clients refused: ${n(r.tlsRejected)}`);
    if (r.lastError !== "") out.push(`      last error: ${r.lastError} (${shortTime(n(r.lastErrorAtUs))})`);
  }
  const q = s.ingestQueue;
  if (q) out.push(`  ingest queue: queued=${n(q.queued)} (${humanBytes(n(q.queuedBytes))})  appending=${n(q.appending)}  batches=${n(q.batches)}  appended=${n(q.appended)}  append_errors=${n(q.appendErrors)}`);
  return out;
}
