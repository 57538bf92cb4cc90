/**
 * `analyze <chunk>` and `indexes <chunk>` from StoreService.GetIndexStats: per
 * index section its bytes, share of raw size and status, then each index type's statistics
 * block (title, labelled fields, warnings) exactly as the server's index registry describes
 * it, so a new index type needs no change here. Pure.
 */

import type { GetIndexStatsResponse, IndexSection, IndexStatField, TermCount } from "../../api/gen/gastrolog/v1/store_pb.ts";
import { sectionLabel } from "./chunks.ts";
import { humanBytes, percent } from "./units.ts";

const n = (b: bigint | undefined): number => Number(b ?? 0n);

/** `tok(n) tok(n) ...`, or `-` when there are none. */
function topList(xs: readonly TermCount[]): string {
  return xs.length === 0 ? "-" : xs.map((x) => `${x.term}(${n(x.count)})`).join(" ");
}

function sectionStatus(s: IndexSection): string {
  switch (s.status) {
    case "complete":
      return "enabled";
    case "capped":
    case "budget":
      return "partial (budget_exhausted)";
    case "missing":
      return "disabled";
    default:
      return s.error ? `error (${s.error})` : "error";
  }
}

const field = (label: string, value: string) => `    ${`${label}:`.padEnd(17)} ${value}`;

function chunkHeader(r: GetIndexStatsResponse): string[] {
  const c = r.chunk!;
  const raw = n(c.rawBytes);
  const total = r.sections.reduce((a, s) => a + n(s.bytes), 0);
  return [
    `Chunk ${c.id}`,
    `  Store:     ${c.store}`,
    `  Records:   ${n(c.records)}`,
    `  Raw size:  ${humanBytes(raw)}`,
    `  Sealed:    ${r.sealed ? "yes" : "no"}`,
    `  Indexes:   ${r.sealed ? `${humanBytes(total)} (${percent(total, raw)} of raw)` : "n/a (not sealed)"}`,
  ];
}

/** The value of one statistics field as printed. */
function fieldValue(f: IndexStatField): string {
  switch (f.value.case) {
    case "count":
      return String(n(f.value.value));
    case "text":
      return f.value.value;
    case "ratio": {
      const { part, whole, of } = f.value.value;
      return `${percent(n(part), n(whole))} of ${of} (${n(part)} of ${n(whole)})`;
    }
    case "terms":
      return topList(f.value.value.terms);
    default:
      return "-";
  }
}

/** Each index type's statistics block, as the server's registry reports them. */
function statsBlocks(r: GetIndexStatsResponse): string[] {
  const out: string[] = [];
  for (const t of r.stats) {
    out.push(`  ${t.title}:`);
    for (const f of t.fields) out.push(field(f.label, fieldValue(f)));
    for (const w of t.warnings) out.push(`    warning: ${w}`);
  }
  return out;
}

/** `analyze <chunk-id>`: the detailed report of one chunk (metadata only when not sealed). */
export function renderChunkAnalysis(r: GetIndexStatsResponse): string[] {
  const out = chunkHeader(r);
  if (!r.sealed) return out;
  const raw = n(r.chunk?.rawBytes);
  for (const s of r.sections) {
    out.push(`  ${sectionLabel(s)}:`);
    out.push(`    bytes:   ${humanBytes(n(s.bytes))} (${percent(n(s.bytes), raw)} of raw), ${humanBytes(n(s.bodyBytes))} uncompressed`);
    out.push(`    status:  ${sectionStatus(s)}`);
  }
  out.push(...statsBlocks(r));
  if (r.errors.length > 0) out.push("  Errors:", ...r.errors.map((e) => `    ${e}`));
  return out;
}

/** The counts part of one `indexes` line, by section. */
function counts(r: GetIndexStatsResponse, section: string): string {
  return r.stats.find((t) => t.section === section)?.summary ?? "stats unavailable";
}

/** `indexes <id>`: per index its term and position counts, size and status. */
export function renderIndexes(r: GetIndexStatsResponse): string[] {
  const head = `Indexes for chunk ${r.chunk?.id ?? "?"}:`;
  if (!r.sealed) return [`${head} n/a (not sealed)`];
  const out = [head];
  for (const s of r.sections) {
    const label = `${sectionLabel(s)}:`.padEnd(7);
    if (s.status === "missing" || s.status === "corrupt") out.push(`  ${label} not available (${s.error || s.status})`);
    else out.push(`  ${label} ${counts(r, s.section)}, ${humanBytes(n(s.bytes))}  [${s.status}]`);
  }
  for (const e of r.errors) out.push(`  error: ${e}`);
  return out;
}
