/**
 * Matched-term highlighting: the positive words, phrases and key=value values of a canonical
 * query expression (ValidateQuery's printout), found case-insensitively in a line. Display
 * only: the server decides what matches; this only marks where the terms appear.
 */

import { asciiLower } from "../../core/ascii.ts";

/** Lowercased terms worth highlighting in records matched by `expression`. */
export function highlightTerms(expression: string): string[] {
  const terms = new Set<string>();
  const re = /(?:[^\s()"=]*=)?"((?:[^"\\]|\\.)*)"|[^\s()]+/g;
  let negate = false;
  for (let m = re.exec(expression); m; m = re.exec(expression)) {
    let word = m[0];
    if (word === "AND" || word === "OR") continue;
    if (word === "NOT") {
      negate = true;
      continue;
    }
    if (negate || word.startsWith("-")) {
      negate = false;
      continue;
    }
    if (m[1] !== undefined) word = m[1].replace(/\\(.)/g, "$1");
    else if (word.includes("=")) word = word.slice(word.indexOf("=") + 1);
    if (word !== "" && word !== "*") terms.add(asciiLower(word));
  }
  return [...terms].sort((a, b) => b.length - a.length);
}


/** Non-overlapping [start, end) ranges of `terms` in `text`, ascending. */
export function findTerms(text: string, terms: readonly string[]): [number, number][] {
  if (terms.length === 0) return [];
  const lower = asciiLower(text);
  const out: [number, number][] = [];
  for (const t of terms) {
    for (let i = lower.indexOf(t); i >= 0; i = lower.indexOf(t, i + t.length)) {
      const end = i + t.length;
      if (!out.some(([s, e]) => i < e && end > s)) out.push([i, end]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}
