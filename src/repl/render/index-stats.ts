/**
 * `analyze <chunk>` and `indexes <chunk>` from StoreService.GetIndexStats: per
 * index section its bytes, share of raw size and status; token frequencies and top tokens;
 * attribute keys/values/pairs with coverage; message key=value counts with loss warnings. Pure.
 */

import type { GetIndexStatsResponse, IndexSection, TermCount } from "../../api/gen/gastrolog/v1/store_pb.ts";
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

function statsBlocks(r: GetIndexStatsResponse): string[] {
  const out: string[] = [];
  const records = n(r.chunk?.records);
  if (r.tokens) {
    const t = r.tokens;
    out.push("  Token stats:");
    out.push(field("unique tokens", String(n(t.terms))));
    out.push(field("total positions", String(n(t.positions))));
    out.push(field("avg frequency", t.avg.toFixed(1)));
    out.push(field("frequency", `p50 ${n(t.p50)}, p95 ${n(t.p95)}, max ${n(t.max)}`));
    out.push(field("top tokens", topList(t.top)));
  }
  if (r.attrs) {
    const a = r.attrs;
    out.push("  Attribute stats:");
    out.push(field("unique keys", String(n(a.keys))));
    out.push(field("unique values", String(n(a.values))));
    out.push(field("unique pairs", String(n(a.pairs))));
    out.push(field("positions", String(n(a.positions))));
    out.push(field("coverage", `${percent(n(a.recordsWithAttrs), records)} of records (${n(a.recordsWithAttrs)} of ${records})`));
    out.push(field("top keys", topList(a.topKeys)));
  }
  if (r.kv) {
    const k = r.kv;
    out.push("  Message KV stats:");
    out.push(field("keys indexed", String(n(k.keys))));
    out.push(field("values indexed", String(n(k.values))));
    out.push(field("pairs indexed", String(n(k.pairs))));
    out.push(field("positions", String(n(k.positions))));
    out.push(field("top keys", topList(k.topKeys)));
    if (k.status === "capped") out.push("    warning: capped — a hard limit was hit, nothing is indexed (key=value queries scan)");
    if (k.status === "budget") out.push("    warning: lossy — the size budget dropped entries (key=value queries verify by scanning)");
    if (n(k.overflowedKeys) > 0) {
      const more = n(k.overflowedKeys) > k.overflowed.length ? ", ..." : "";
      out.push(`    warning: ${n(k.overflowedKeys)} key(s) overflowed the per-key value cap, their pairs are not indexed: ${k.overflowed.join(", ")}${more}`);
    }
  }
  return out;
}

/** `analyze <chunk-id>`: the detailed report of one chunk (metadata only when not sealed). */
export function renderChunkAnalysis(r: GetIndexStatsResponse): string[] {
  const out = chunkHeader(r);
  if (!r.sealed) return out;
  const raw = n(r.chunk?.rawBytes);
  for (const s of r.sections) {
    out.push(`  ${sectionLabel(s.section)}:`);
    out.push(`    bytes:   ${humanBytes(n(s.bytes))} (${percent(n(s.bytes), raw)} of raw), ${humanBytes(n(s.bodyBytes))} uncompressed`);
    out.push(`    status:  ${sectionStatus(s)}`);
  }
  out.push(...statsBlocks(r));
  if (r.errors.length > 0) out.push("  Errors:", ...r.errors.map((e) => `    ${e}`));
  return out;
}

/** The counts part of one `indexes` line, by section. */
function counts(r: GetIndexStatsResponse, section: string): string {
  if (section === "idx.tokens" && r.tokens) return `${n(r.tokens.terms)} tokens, ${n(r.tokens.positions)} positions`;
  const kv = section === "idx.attrs" ? r.attrs : section === "idx.msgkv" ? r.kv : undefined;
  if (kv) return `${n(kv.keys)} keys, ${n(kv.values)} values, ${n(kv.pairs)} pairs, ${n(kv.positions)} positions`;
  return "stats unavailable";
}

/** `indexes <id>`: per index its term and position counts, size and status. */
export function renderIndexes(r: GetIndexStatsResponse): string[] {
  const head = `Indexes for chunk ${r.chunk?.id ?? "?"}:`;
  if (!r.sealed) return [`${head} n/a (not sealed)`];
  const out = [head];
  for (const s of r.sections) {
    const label = `${sectionLabel(s.section)}:`.padEnd(7);
    if (s.status === "missing" || s.status === "corrupt") out.push(`  ${label} not available (${s.error || s.status})`);
    else out.push(`  ${label} ${counts(r, s.section)}, ${humanBytes(n(s.bytes))}  [${s.status}]`);
  }
  for (const e of r.errors) out.push(`  error: ${e}`);
  return out;
}
