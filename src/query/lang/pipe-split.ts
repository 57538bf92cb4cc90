/**
 * Splits a query line at its pipes: `FILTER | stage | stage`. A `|` inside quotes or inside a
 * `/regex/` written at the start of a word is not a pipe; to search for a literal `|` quote
 * it (`"|"`). Pure; positions are UTF-16 indexes of the line.
 */

import { isQuerySpace } from "./lexer.ts";

/** One piece of the line: `text` is line[start, start + text.length). */
export interface LineSegment {
  text: string;
  start: number;
}

/** The filter part and the stage parts (without their `|`). */
export function splitPipes(line: string): { filter: LineSegment; stages: LineSegment[] } {
  const cuts: number[] = [];
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote !== "") {
      if (ch === "\\") i++;
      else if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "/" && (i === 0 || isQuerySpace(line[i - 1]!) || line[i - 1] === "(")) {
      quote = "/";
    } else if (ch === "|") {
      cuts.push(i);
    }
  }
  const pieces: LineSegment[] = [];
  let from = 0;
  for (const c of [...cuts, line.length]) {
    pieces.push({ text: line.slice(from, c), start: from });
    from = c + 1;
  }
  return { filter: pieces[0]!, stages: pieces.slice(1) };
}
