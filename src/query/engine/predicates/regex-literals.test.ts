/**
 * What a regex's extracted literals promise (regex-literals.ts, regex.ts): every text RE2
 * matches holds each required literal (ASCII-case-insensitively) and satisfies each token probe
 * the planner narrows by — so several probes may be intersected, and a literal the pattern makes
 * optional (a `?`, a group, an alternative) or an escape that is not a literal character never
 * narrows.
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { RE2JS } from "re2js";
import { tokenize } from "../../../index/tokenizer.ts";
import type { IndexProbe } from "../../../index/types.ts";
import { requiredLiterals } from "./regex-literals.ts";
import { regexKind } from "./regex.ts";

const probesOf = (pattern: string): readonly IndexProbe[] => regexKind.compile({ kind: "regex", pattern })!.probes;

describe("required literals and the probes they imply", () => {
  const cases: [string, string[], IndexProbe[]][] = [
    // Every token probe is intersected: both narrow. A k or s ends a literal (RE2 also matches
    // them to the Kelvin sign and the long s): "block" narrows as the prefix "bloc".
    ["packetresponder \\d+ for block", ["pac", "etre", "ponder ", " for bloc"], [{ kind: "token", token: "for" }, { kind: "token_prefix", prefix: "bloc" }]],
    ["^error: timeout on node\\d", ["error: timeout on node"], [{ kind: "token", token: "error" }, { kind: "token", token: "timeout" }, { kind: "token", token: "on" }, { kind: "token_prefix", prefix: "node" }]],
    // Optional parts never narrow: a quantified character, a group, a top-level alternative.
    ["warn (admin )?login failed", ["warn ", "login failed"], [{ kind: "token_prefix", prefix: "failed" }]],
    ["connect(ion)? refused", ["connect", " refu", "ed"], [{ kind: "token_prefix", prefix: "refu" }]],
    ["timeout? waiting", ["timeou", " waiting"], [{ kind: "token_prefix", prefix: "waiting" }]],
    ["disk full|quota", [], []],
    // Escapes spanning more than two characters are no literal text.
    ["\\p{Greek}x word", ["x word"], [{ kind: "token_prefix", prefix: "word" }]],
    ["\\x41bc wor", ["bc wor"], [{ kind: "token_prefix", prefix: "wor" }]],
    ["\\101bc wor", ["bc wor"], [{ kind: "token_prefix", prefix: "wor" }]],
    ["\\pLab wor", ["ab wor"], [{ kind: "token_prefix", prefix: "wor" }]],
  ];
  for (const [pattern, literals, probes] of cases) {
    test(pattern, () => expect({ literals: requiredLiterals(pattern).map((r) => r.text), probes: probesOf(pattern) }).toEqual({ literals, probes }));
  }
});

const PIECES = ["ab", "x", "for", "block", "sab", " ", ":", "-", "_", "1", "42", "A", "é", "Ω", "\\d+", "\\w", "\\b", "^", "$", ".", "?", "*", "+", "(ab)?", "(x|for)", "[a-c]", "[^ ]", "\\x41", "\\x{3a9}", "\\101", "\\pL", "\\p{Greek}", "\\.", "\\ ", "{2}", "(?-i)", "|"];
const TEXT_PIECES = ["ab", "AB", "x", "for", "FOR", "block", "blocks", "bloc\u212a", "\u017fab", " ", ":", "-", "_", "1", "42", "A", "é", "Ω", "ω", "."];

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
        for (const r of requiredLiterals(pattern)) expect({ pattern, text, literal: r.text, held: lower.includes(r.text.toLowerCase()) }).toMatchObject({ held: true });
        const tokens = tokenize(text);
        for (const p of probesOf(pattern)) {
          const held = p.kind === "token" ? tokens.includes(p.token) : p.kind === "token_prefix" ? tokens.some((t) => t.startsWith(p.prefix)) : false;
          expect({ pattern, text, probe: p, held }).toMatchObject({ held: true });
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 20000) },
    );
    expect(matched).toBeGreaterThan(1000);
  }, 60_000); // 20,000 generated cases: ~3 s alone, more on a loaded machine
});
