/**
 * Pure renderers for `gastrolog import`: one progress line and a summary block. Data in,
 * text out; no terminal handling (the CLI decides where and how often to draw).
 */

import type { ImportProgress, ImportSummary } from "./import-files.ts";

const BAR_WIDTH = 20;
const PARTIAL = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** 1234 -> "1.2k", 1_234_567 -> "1.2M"; below 1000 as is. */
export function compactCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)}k`;
  if (n < 1e9) return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

/** Seconds as "3s", "1m05s", "2h03m". */
export function compactDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

function bar(fraction: number): string {
  const eighths = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH * 8);
  const full = Math.floor(eighths / 8);
  const part = PARTIAL[eighths % 8]!;
  return `|${"█".repeat(full)}${part}${" ".repeat(BAR_WIDTH - full - (part ? 1 : 0))}|`;
}

/**
 * One line, e.g. `importing app.log  45% |█████▌      | 1.2M lines  310k/s  ETA 3s`. Without
 * a known size (stdin) the percentage, bar and ETA are left out. A `[2/5]` prefix appears when
 * several files are imported.
 */
export function renderProgress(p: ImportProgress): string {
  const seconds = p.elapsedMicros / 1e6;
  const rate = seconds > 0 ? p.lines / seconds : 0;
  const prefix = p.fileCount > 1 ? `[${p.fileIndex + 1}/${p.fileCount}] ` : "";
  const parts = [`${prefix}importing ${p.file}`];
  if (p.bytesTotal !== undefined && p.bytesTotal > 0) {
    const fraction = Math.min(1, p.bytesRead / p.bytesTotal);
    parts.push(`${String(Math.floor(fraction * 100)).padStart(3)}% ${bar(fraction)}`);
  }
  parts.push(`${compactCount(p.lines)} lines`, `${compactCount(rate)}/s`);
  if (p.bytesTotal !== undefined && p.bytesRead > 0 && p.fileCount === 1 && !p.fileDone) {
    const eta = (seconds * (p.bytesTotal - p.bytesRead)) / p.bytesRead;
    parts.push(`ETA ${compactDuration(eta)}`);
  }
  return parts.join("  ");
}

/** A few aligned lines summarising a finished import. */
export function renderSummary(s: ImportSummary): string {
  const pct = (n: number): string => (s.records > 0 ? `${((100 * n) / s.records).toFixed(1)}%` : "0%");
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  const rows: [string, string][] = [
    ["files", String(s.files)],
    ["records", `${s.records} (${compactCount(s.recordsPerSec)}/s)`],
    ...(s.alreadyStored > 0 ? [["already", `${s.alreadyStored} (stored by the interrupted run, not appended again)`] as [string, string]] : []),
    ["input", `${mb(s.inputBytes)} in ${s.seconds.toFixed(2)}s (${s.mbPerSec.toFixed(1)} MB/s)`],
    ["stored", `${mb(s.storedBytes)} (${s.ratio.toFixed(3)} of input)`],
    ["index", `${mb(s.indexBytes)} (${s.inputBytes > 0 ? (s.indexBytes / s.inputBytes).toFixed(3) : "0.000"} of input)`],
    ["timestamped", `${s.timestamped} (${pct(s.timestamped)})`],
    ["truncated", String(s.truncated)],
    ["binary", String(s.binary)],
  ];
  return rows.map(([k, v]) => `${k.padEnd(12)}${v}`).join("\n");
}
