/**
 * TermTable: postings built across spilled runs equal the positions each term was added at,
 * once per record, whatever the number of runs (RUN_OCCURRENCES boundaries included).
 */

import { describe, expect, test } from "bun:test";
import { decodePostings } from "./postings.ts";
import { RUN_OCCURRENCES, TermTable } from "./term-table.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Adds `terms(pos)` for each of `positions`; returns term -> expected positions. */
function fill(table: TermTable, positions: number[], terms: (pos: number) => string[]): Map<string, number[]> {
  const expected = new Map<string, number[]>();
  for (const pos of positions) {
    table.startRecord(pos);
    for (const t of terms(pos)) {
      const b = enc.encode(t);
      table.add(b, 0, b.length);
      const list = expected.get(t) ?? [];
      if (list[list.length - 1] !== pos) list.push(pos);
      expected.set(t, list);
    }
  }
  return expected;
}

function built(table: TermTable): Map<string, number[]> {
  const input = table.build("x", table.sortedIds());
  const out = new Map<string, number[]>();
  for (let i = 0; i < input.count; i++) {
    const term = dec.decode(input.terms.subarray(i === 0 ? 0 : input.termEnds[i - 1]!, input.termEnds[i]!));
    const cur = { pos: i === 0 ? 0 : input.postingEnds[i - 1]! };
    out.set(term, [...decodePostings(input.postings, cur, input.postingEnds[i]!)]);
  }
  return out;
}

describe("TermTable", () => {
  test("one run: positions per term, duplicates within a record once, terms sorted by bytes", () => {
    const table = new TermTable();
    const expected = fill(table, [0, 3, 4, 9], (p) => ["b", "a", p % 2 === 0 ? "even" : "odd", "a"]);
    const got = built(table);
    expect([...got.keys()]).toEqual(["a", "b", "even", "odd"]);
    expect(got).toEqual(expected);
  });

  test("occurrences past several spills merge into the same postings", () => {
    const table = new TermTable();
    const records = Math.ceil((RUN_OCCURRENCES * 2.5) / 4);
    const positions = Array.from({ length: records }, (_, i) => i * 5 + (i % 5));
    // Four distinct terms per record: a common one, a rare one, and two of middling spread; some
    // terms first appear after a spill (ids past the earlier runs' tables).
    const expected = fill(table, positions, (p) => ["all", `m${p % 1000}`, `r${Math.floor(p / 100_000)}`, p % 97 === 0 ? "rare" : "all"]);
    const got = built(table);
    expect(got.size).toBe(expected.size);
    expect(got).toEqual(expected);
    expect(table.counts[table.find(enc.encode("all"), 0, 3)]).toBe(records);
  });

  test("with many distinct terms (runs grow with them) postings are still exact", () => {
    const table = new TermTable();
    const positions = Array.from({ length: RUN_OCCURRENCES / 2 }, (_, i) => i);
    const expected = fill(table, positions, (p) => [`u${p}`, `g${p % 7}`, "all"]);
    expect(built(table)).toEqual(expected);
  });

  test("endAdds (spill, drop the add-only parts) leaves sorting and building as they were", () => {
    const terms = (p: number) => [`u${p}`, `g${p % 7}`, "all"];
    const positions = Array.from({ length: RUN_OCCURRENCES + 123 }, (_, i) => 2 * i);
    const plain = new TermTable();
    fill(plain, positions, terms);
    const ended = new TermTable();
    const expected = fill(ended, positions, terms);
    expect(ended.endAdds()).toBeGreaterThan(0);
    expect(ended.build("x", ended.sortedIds())).toEqual(plain.build("x", plain.sortedIds()));
    expect(built(ended)).toEqual(expected);
  });

  test("internMissed inserts what find missed, and falls back to a lookup when the table or range changed", () => {
    const t = new TermTable();
    const buf = enc.encode("alpha beta gamma");
    expect(t.find(buf, 0, 5)).toBe(-1);
    const alpha = t.internMissed(buf, 0, 5);
    expect(t.find(buf, 0, 5)).toBe(alpha);
    // The table grew after the miss: the miss's slot may be taken, so it looks up again.
    expect(t.find(buf, 6, 10)).toBe(-1);
    const gamma = t.intern(buf, 11, 16);
    const beta = t.internMissed(buf, 6, 10);
    expect(new Set([alpha, beta, gamma]).size).toBe(3);
    // A different range than the one missed is looked up (here: a known term, no new id).
    expect(t.find(buf, 0, 4)).toBe(-1);
    expect(t.internMissed(buf, 11, 16)).toBe(gamma);
    expect(t.size).toBe(3);
    // Thousands of misses inserted in place keep every term findable (rehashes included).
    const words = Array.from({ length: 5000 }, (_, i) => enc.encode(`w${i}`));
    const ids = words.map((w) => (t.find(w, 0, w.length) >= 0 ? -1 : t.internMissed(w, 0, w.length)));
    expect(new Set(ids).size).toBe(5000);
    words.forEach((w, i) => expect(t.find(w, 0, w.length)).toBe(ids[i]!));
  });
});
