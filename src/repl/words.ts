/**
 * Splits the arguments of `config` and `retention` into words like a shell would, but kind
 * to JSON values: whitespace inside quotes, braces or brackets does not split a word, and
 * quotes are removed only when they wrap a whole word (`-m "two words"`), so
 * `stores[x]={"type": "memory"}` stays one intact word. Pure.
 */

import { LogError } from "../core/errors.ts";

function unwrap(word: string): string {
  const q = word[0];
  if (word.length >= 2 && (q === '"' || q === "'") && word[word.length - 1] === q) return word.slice(1, -1);
  return word;
}

/** The words of `text`; LogError("invalid_argument") for an unterminated quote. */
export function splitWords(text: string): string[] {
  const out: string[] = [];
  let word = "";
  let depth = 0;
  let quote = "";
  for (const ch of text) {
    if (quote !== "") {
      word += ch;
      if (ch === quote) quote = "";
      continue;
    }
    if ((ch === " " || ch === "\t") && depth === 0) {
      if (word !== "") out.push(unwrap(word));
      word = "";
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "{" || ch === "[") depth++;
    else if ((ch === "}" || ch === "]") && depth > 0) depth--;
    word += ch;
  }
  if (quote !== "") throw new LogError("invalid_argument", `unterminated ${quote} in: ${text}`);
  if (word !== "") out.push(unwrap(word));
  return out;
}

/**
 * Takes `-m TEXT` / `--reason TEXT` out of `words`: the remaining words and the reason ("" when
 * absent). LogError("invalid_argument") when the flag has no value.
 */
export function takeReason(words: readonly string[]): { rest: string[]; reason: string } {
  const rest: string[] = [];
  let reason = "";
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w !== "-m" && w !== "--reason") {
      rest.push(w);
      continue;
    }
    const v = words[++i];
    if (v === undefined) throw new LogError("invalid_argument", `${w} needs a reason text`);
    reason = v;
  }
  return { rest, reason };
}
