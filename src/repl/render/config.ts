/**
 * Config and retention output from ConfigService messages, in the same text as the CLI's
 * `gastrolog config` / `gastrolog retention` (version lines, the history table, `+ - ~` diff
 * lines, the policy table, sweep lines). Pure.
 */

import type { ConfigChange, ConfigDiffEntry, ConfigVersionInfo, GetRetentionResponse, SweepRetentionResponse } from "../../api/gen/gastrolog/v1/config_pb.ts";
import { formatShort } from "../../core/time.ts";
import { humanBytes, shortTime } from "./units.ts";

const n = (b: bigint | undefined): number => Number(b ?? 0n);

/** `version N · <when> UTC · <author>[ · rollback of M] · "<reason>"`. */
export function versionLine(v: ConfigVersionInfo | undefined): string {
  if (!v || v.version === 0n) return "version 0 · defaults (nothing applied yet)";
  const kind = v.kind === "rollback" ? ` · rollback of ${n(v.rollbackOf)}` : "";
  return `version ${v.version} · ${formatShort(n(v.atUs))} UTC · ${v.author}${kind} · ${JSON.stringify(v.reason)}`;
}

/** One line per difference: `+ path = v`, `- path (was v)`, `~ path: a -> b`. */
export function renderDiff(entries: readonly ConfigDiffEntry[]): string[] {
  return entries.map((e) => {
    if (e.op === "added") return `+ ${e.path} = ${e.valueJson}`;
    if (e.op === "removed") return `- ${e.path} (was ${e.valueJson})`;
    return `~ ${e.path}: ${e.fromJson} -> ${e.toJson}`;
  });
}

/** Columns padded to their widest cell (`right` columns right-aligned). */
function table(header: readonly string[], rows: readonly string[][], right: readonly number[] = []): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The history table, newest first. */
export function renderHistory(versions: readonly ConfigVersionInfo[]): string[] {
  if (versions.length === 0) return ["no config versions yet (the defaults apply)"];
  const rows = versions.map((v) => [String(v.version), formatShort(n(v.atUs)), v.author, v.kind === "rollback" ? `rollback→${n(v.rollbackOf)}` : v.kind, String(v.diff.length), v.reason]);
  return table(["VERSION", "WHEN (UTC)", "AUTHOR", "KIND", "CHANGES", "REASON"], rows, [0]);
}

/** What a write did: the new version and its diff, or that nothing changed. */
export function renderChange(c: ConfigChange | undefined): string[] {
  if (!c?.changed) return [`no change (config stays at version ${c?.version?.version ?? 0n})`];
  return [versionLine(c.version), ...renderDiff(c.version?.diff ?? [])];
}

/** Retention policies per store and what the background sweeps did so far. */
export function renderRetention(r: GetRetentionResponse): string[] {
  if (r.policies.length === 0) return ["no stores configured"];
  const rows = r.policies.map((p) => [p.store, p.maxAge, p.maxBytes, String(p.maxChunks)]);
  const deleted = Object.entries(r.deleted)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([reason, k]) => `${reason}=${k}`);
  return [
    ...table(["STORE", "MAX AGE", "MAX BYTES", "MAX CHUNKS"], rows),
    "(0 = no limit)",
    `sweeps: ${r.sweeps}, deleted chunks: ${deleted.length ? deleted.join(" ") : "0"}, freed: ${humanBytes(n(r.bytesFreed))}, errors: ${r.errors}, last sweep: ${shortTime(n(r.lastSweepAtUs))}`,
  ];
}

/** `swept 2 store(s) (default, web): 3 chunk(s) deleted in 1 of them` (also for `gastrolog retention sweep`). */
export function sweptLine(stores: readonly string[], deleted: readonly { store: string }[]): string {
  const hit = new Set(deleted.map((d) => d.store)).size;
  const swept = stores.length === 0 ? "swept no store (none of the config's stores holds data here)" : `swept ${stores.length} store(s) (${stores.join(", ")})`;
  return `${swept}: ${deleted.length} chunk(s) deleted${deleted.length > 0 ? ` in ${hit} of them` : ""}`;
}

/** One line per deleted or failed chunk, then what was swept. */
export function renderSweep(r: SweepRetentionResponse): string[] {
  const out = r.deleted.map((d) => `deleted ${d.store}/${d.chunk} (${d.reason}, ${d.storedBytes} bytes)`);
  for (const e of r.errors) out.push(`FAILED ${e.store}/${e.chunk}: ${e.message}`);
  out.push(`${sweptLine(r.stores, r.deleted)}${r.errors.length ? `, ${r.errors.length} failed` : ""}`);
  return out;
}
