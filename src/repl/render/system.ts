/** `stats`, `status` and `receivers` blocks (spec A7.3) from GetStats and Status. Pure. */

import type { StatusResponse } from "../../api/gen/gastrolog/v1/lifecycle_pb.ts";
import type { GetStatsResponse } from "../../api/gen/gastrolog/v1/store_pb.ts";
import { humanBytes } from "./units.ts";

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
  }
  return out;
}

export function renderReceivers(s: StatusResponse): string[] {
  if (s.receivers.length === 0) return ["No receivers."];
  const rows = [...s.receivers].sort((a, b) => (a.name < b.name ? -1 : 1));
  return rows.map((r) => `  ${r.name}  type=${r.type}  state=${r.state}  records=${n(r.records)}  errors=${n(r.errors)}`);
}
