/** Plain-text tables for CLI output: columns padded to their widest cell, two spaces apart. */

/** `header` and `rows` as lines; columns listed in `right` are right-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd() + "\n";
  return line(header) + rows.map(line).join("");
}
