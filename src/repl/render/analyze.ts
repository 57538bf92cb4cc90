/**
 * `analyze` (no argument) from index reports: per store, bytes per index type over
 * its sealed chunks, an Issues block, one summary line per chunk. The one-chunk report is
 * render/index-stats.ts. Pure.
 */

import type { ChunkInfo, GetIndexReportResponse } from "../../api/gen/gastrolog/v1/store_pb.ts";
import { sectionLabel } from "./chunks.ts";
import { humanBytes, shortTime } from "./units.ts";

const n = (b: bigint | undefined): number => Number(b ?? 0n);

/** A chunk's report, or the error fetching it. */
export type ChunkReport = { chunk: ChunkInfo; report?: GetIndexReportResponse; error?: string };

/** ok | partial | missing | error[: detail] for one chunk. */
export function chunkHealth(r: ChunkReport): string {
  if (r.error) return `error: ${r.error}`;
  const sections = r.report?.sections ?? [];
  if (sections.some((s) => s.status === "corrupt")) return `error: ${sections.find((s) => s.status === "corrupt")!.error || "corrupt section"}`;
  if (sections.length === 0 || sections.every((s) => s.status === "missing")) return "missing";
  if (sections.some((s) => s.status !== "complete")) return "partial";
  return "ok";
}

function indexBytes(r: ChunkReport): number {
  return (r.report?.sections ?? []).reduce((a, s) => a + n(s.bytes), 0);
}

/** `analyze`: one block per store. `reports` holds its sealed chunks. */
export function renderStoreAnalysis(store: string, reports: readonly ChunkReport[]): string[] {
  const out = [`[${store}] Index Analysis (${reports.length} chunks):`];
  if (reports.length === 0) return [...out, "  (no sealed chunks)"];
  const perType = new Map<string, number>();
  for (const r of reports) for (const s of r.report?.sections ?? []) perType.set(sectionLabel(s), (perType.get(sectionLabel(s)) ?? 0) + n(s.bytes));
  for (const [label, bytes] of perType) out.push(`  ${`${label}:`.padEnd(7)} ${humanBytes(bytes)}`);
  const count = (pred: (h: string) => boolean): number => reports.filter((r) => pred(chunkHealth(r))).length;
  const issues: [string, number][] = [
    ["partial", count((h) => h === "partial")],
    ["budget exhausted", reports.filter((r) => r.report?.sections.some((s) => s.status === "capped")).length],
    ["missing", count((h) => h === "missing")],
    ["errors", count((h) => h.startsWith("error"))],
  ];
  if (issues.some(([, k]) => k > 0)) {
    out.push("  Issues:");
    for (const [label, k] of issues) if (k > 0) out.push(`    ${label}: ${k} chunks`);
  }
  out.push("  Chunks:");
  for (const r of reports) {
    const c = r.chunk;
    out.push(`    ${c.id}  ${shortTime(n(c.eventTs?.minUs))} - ${shortTime(n(c.eventTs?.maxUs))}  ${n(c.records)} records  ${humanBytes(indexBytes(r))}  [${chunkHealth(r)}]`);
  }
  return out;
}
