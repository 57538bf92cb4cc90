/**
 * Prometheus/Loki label-set text as sent in Loki's protobuf push: `{a="x", b="y\"z"}`.
 * Names are [a-zA-Z_][a-zA-Z0-9_]*; values are double-quoted with \\, \" and \n escapes.
 * Pure; throws ParseError with the byte position on malformed input.
 */

import { ParseError } from "../../../core/errors.ts";

function isNameStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= "0" && c <= "9");
}

/** Parses a label set into `out` (later duplicates win). */
export function parseLabels(s: string, out: Record<string, string>): void {
  let i = 0;
  const ws = () => {
    while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  };
  ws();
  if (s[i] !== "{") throw new ParseError(i, `expected '{' in label set ${JSON.stringify(s.slice(0, 80))}`);
  i++;
  ws();
  if (s[i] === "}") return;
  for (;;) {
    ws();
    const n0 = i;
    if (!isNameStart(s[i] ?? "")) throw new ParseError(i, "expected a label name");
    while (i < s.length && isNameChar(s[i]!)) i++;
    const name = s.slice(n0, i);
    ws();
    if (s[i] !== "=") throw new ParseError(i, `expected '=' after label ${name}`);
    i++;
    ws();
    if (s[i] !== '"') throw new ParseError(i, `expected '"' opening the value of ${name}`);
    i++;
    let v = "";
    for (;;) {
      if (i >= s.length) throw new ParseError(i, `unterminated value of label ${name}`);
      const c = s[i++]!;
      if (c === '"') break;
      if (c === "\\") {
        const e = s[i++];
        v += e === "n" ? "\n" : e === "t" ? "\t" : (e ?? "");
      } else v += c;
    }
    out[name] = v;
    ws();
    if (s[i] === ",") {
      i++;
      ws();
      if (s[i] === "}") return;
      continue;
    }
    if (s[i] === "}") return;
    throw new ParseError(i, "expected ',' or '}' after a label");
  }
}
