/**
 * Chunk listings and details for `chunks` and `chunk <id>`. Times
 * are event times (the log's own timestamps), which is what queries filter on. Pure.
 */

import type { ChunkInfo, IndexSection, StoreSummary } from "../../api/gen/gastrolog/v1/store_pb.ts";
import { humanBytes, longTime, shortTime } from "./units.ts";

const n = (b: bigint | undefined): number => Number(b ?? 0n);

/** The state as listed: a chunk waiting for a seal retry adds when the next attempt is due. */
function stateText(c: ChunkInfo): string {
  return c.state === "seal_retry" ? `seal_retry, next ${shortTime(n(c.nextSealRetryUs))}` : c.state;
}

/** The state in `chunk`: a chunk waiting for a seal retry adds its failures and the next attempt. */
function statusText(c: ChunkInfo): string {
  if (c.state !== "seal_retry") return c.state;
  const failed = c.sealFailures === 1 ? "once" : `${c.sealFailures} times`;
  return `seal_retry (seal failed ${failed}, next attempt ${longTime(n(c.nextSealRetryUs))}; read as active data)`;
}

/** One `  <id>  <start> - <end>  <n> records  [state]` line. */
export function chunkLine(c: ChunkInfo): string {
  return `  ${c.id}  ${shortTime(n(c.eventTs?.minUs))} - ${shortTime(n(c.eventTs?.maxUs))}  ${n(c.records)} records  [${stateText(c)}]`;
}

/** `chunks`: per store (sorted by name) its chunks in storage order. */
export function renderChunks(stores: readonly StoreSummary[], chunks: readonly ChunkInfo[]): string[] {
  if (stores.length === 0) return ["No stores."];
  const out: string[] = [];
  for (const s of [...stores].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const mine = chunks.filter((c) => c.store === s.name);
    if (mine.length === 0) {
      out.push(`[${s.name}] No chunks`);
      continue;
    }
    out.push(`[${s.name}] ${mine.length} chunks:`);
    for (const c of mine) out.push(chunkLine(c));
  }
  return out;
}

/** "complete", "incomplete (<status>)" or "n/a (not sealed)". */
function indexSummary(c: ChunkInfo): string {
  if (c.state !== "sealed") return "n/a (not sealed)";
  return c.indexStatus === "complete" ? "complete" : `incomplete (${c.indexStatus})`;
}

/** `chunk <id>`: the metadata block. */
export function renderChunk(c: ChunkInfo): string[] {
  return [
    `Chunk: ${c.id}`,
    `  Store:    ${c.store}`,
    `  Status:   ${statusText(c)}`,
    `  StartTS:  ${longTime(n(c.eventTs?.minUs))}`,
    `  EndTS:    ${longTime(n(c.eventTs?.maxUs))}`,
    `  Written:  ${longTime(n(c.writeTs?.minUs))} - ${longTime(n(c.writeTs?.maxUs))}`,
    `  Records:  ${n(c.records)}`,
    `  Raw:      ${humanBytes(n(c.rawBytes))}`,
    `  Stored:   ${humanBytes(n(c.storedBytes))}${c.codec ? ` (${c.codec})` : ""}`,
    `  Indexes:  ${indexSummary(c)}${c.state === "sealed" ? `, ${humanBytes(n(c.indexBytes))}` : ""}`,
  ];
}

/** A section's label: its index type's name as the server reports it, else the section name. */
export function sectionLabel(s: Pick<IndexSection, "name" | "section">): string {
  return s.name || s.section;
}
