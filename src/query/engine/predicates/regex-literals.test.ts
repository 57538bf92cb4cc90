/**
 * What a regex's extracted literals promise (regex-literals.ts, regex.ts): every text RE2
 * matches holds each required literal's pieces between its k/s letters (ASCII-case-
 * insensitively; RE2 also matches those to U+212A and U+017F) and satisfies one probe of each
 * choice the planner narrows by — so the choices may be intersected, and a literal the pattern
 * makes optional (a `?`, a group, an alternative) or an escape that is not a literal character
 * never narrows.
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { RE2JS } from "re2js";
import { tokenize } from "../../../index/tokenizer.ts";
import type { IndexProbe } from "../../../index/types.ts";
import { foldFreePieces, requiredLiterals, requiredTokenTerms } from "./regex-literals.ts";
import { regexKind } from "./regex.ts";

const probesOf = (pattern: string): readonly (readonly IndexProbe[])[] => regexKind.compile({ kind: "regex", pattern })!.probes;
const token = (t: string): IndexProbe => ({ kind: "token", token: t });
const prefix = (p: string): IndexProbe => ({ kind: "token_prefix", prefix: p });

describe("required literals and the probes they imply", () => {
  const cases: [string, string[], IndexProbe[][]][] = [
    // Every choice is intersected: both narrow. RE2 also matches k to the Kelvin sign and s to
    // the long s (no token characters): "block" is a token starting "block" or exactly "bloc".
    ["packetresponder \\d+ for block", ["packetresponder ", " for block"], [[token("for")], [prefix("block"), token("bloc")]]],
    ["^error: timeout on node\\d", ["error: timeout on node"], [[token("error")], [token("timeout")], [token("on")], [prefix("node")]]],
    // Optional parts never narrow: a quantified character, a group, a top-level alternative.
    ["warn (admin )?login failed", ["warn ", "login failed"], [[prefix("failed")]]],
    ["connect(ion)? refused", ["connect", " refused"], [[prefix("refused"), token("refu")]]],
    ["timeout? waiting", ["timeou", " waiting"], [[prefix("waiting")]]],
    ["disk full|quota", [], []],
    // A fold letter starting the token: the token may start after it (ſtatus holds "tatus").
    [" status", [" status"], [[prefix("status"), prefix("tatus"), token("tatu"), token("statu")]]],
    [" disk full", [" disk full"], [[token("disk"), token("di"), token("dis")], [prefix("full")]]],
    // A spelling that leaves no indexable token (ſk: "a" alone) makes its choice useless.
    [" ask now", [" ask now"], [[prefix("now")]]],
    // Case-sensitive parts fold nothing: k and s are themselves.
    ["(?-i) for block", [" for block"], [[token("for")], [prefix("block")]]],
    ["(?-i) for (?i)block", [" for block"], [[token("for")], [prefix("block"), token("bloc")]]],
    // A quantified fold letter is dropped with its fold mark.
    [" blocks? now", [" block", " now"], [[prefix("block"), token("bloc")], [prefix("now")]]],
    // Escapes spanning more than two characters are no literal text.
    ["\\p{Greek}x word", ["x word"], [[prefix("word")]]],
    ["\\x41bc wor", ["bc wor"], [[prefix("wor")]]],
    ["\\101bc wor", ["bc wor"], [[prefix("wor")]]],
    ["\\pLab wor", ["ab wor"], [[prefix("wor")]]],
  ];
  for (const [pattern, literals, probes] of cases) {
    test(pattern, () => expect({ literals: requiredLiterals(pattern).map((r) => r.text), probes: probesOf(pattern) }).toEqual({ literals, probes }));
  }
  test("a long run of k and s lists a bounded number of spellings (only a token's first 17 characters matter)", () => {
    const choices = requiredTokenTerms(requiredLiterals(` ${"xxs".repeat(330)}`));
    expect({ choices: choices.length, terms: choices[0]!.length, longest: Math.max(...choices[0]!.map((t) => t.term.length)) }).toEqual({ choices: 1, terms: 6, longest: 17 });
    expect(probesOf(` ${"s".repeat(1000)}abc`)).toEqual([]); // ſ then s: a one-letter token, not indexed
  });

  test("the byte search uses the pieces between fold letters", () => {
    expect(foldFreePieces(requiredLiterals("packetresponder \\d+ for block"))).toEqual(["pac", "etre", "ponder ", " for bloc"]);
  });
});

const PIECES = ["ab", "x", "for", "block", "sab", "status", "ks", "(?i)", " ", ":", "-", "_", "1", "42", "A", "é", "Ω", "\\d+", "\\w", "\\b", "^", "$", ".", "?", "*", "+", "(ab)?", "(x|for)", "[a-c]", "[^ ]", "\\x41", "\\x{3a9}", "\\101", "\\pL", "\\p{Greek}", "\\.", "\\ ", "{2}", "(?-i)", "|"];
const TEXT_PIECES = ["ab", "AB", "x", "for", "FOR", "block", "blocks", "bloc\u212a", "\u017fab", "\u017ftatus", "statu\u017f", "\u212a\u017f", "ks", " ", ":", "-", "_", "1", "42", "A", "é", "Ω", "ω", "."];

describe("the promise holds for any pattern and text", () => {
  test("a matched text holds every literal and satisfies every probe", () => {
    let matched = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 7 }), fc.array(fc.constantFrom(...TEXT_PIECES), { maxLength: 10 }), (parts, textParts) => {
        const pattern = parts.join("");
        let re: RE2JS;
        try {
          re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
        } catch {
          return; // not valid RE2: the parser rejects it
        }
        const text = textParts.join("");
        if (!re.test(text)) return;
        matched++;
        const lower = text.toLowerCase();
        for (const piece of foldFreePieces(requiredLiterals(pattern))) expect({ pattern, text, piece, held: lower.includes(piece.toLowerCase()) }).toMatchObject({ held: true });
        const tokens = tokenize(text);
        const holds = (p: IndexProbe) => (p.kind === "token" ? tokens.includes(p.token) : p.kind === "token_prefix" ? tokens.some((t) => t.startsWith(p.prefix)) : false);
        for (const choice of probesOf(pattern)) expect({ pattern, text, choice, held: choice.some(holds) }).toMatchObject({ held: true });
      }),
      { numRuns: Number(process.env.RUNS ?? 20000) },
    );
    expect(matched).toBeGreaterThan(1000);
  }, 60_000); // 20,000 generated cases: ~3 s alone, more on a loaded machine
});
