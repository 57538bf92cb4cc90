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
});
