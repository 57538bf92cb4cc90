/** gen-corpus: byte-determinism per seed, exact-prefix property, line counts, increasing times. */

import { describe, expect, test } from "bun:test";
import { parseLeadingTimestamp } from "../src/ingest/parse/timestamp.ts";
import { generateCorpus, Prng } from "./gen-corpus.ts";

function gen(seed: number, lines: number): Buffer {
  const parts: Uint8Array[] = [];
  generateCorpus(seed, lines, (b) => parts.push(b));
  return Buffer.concat(parts);
}

function newlines(b: Uint8Array): number {
  let n = 0;
  for (const x of b) if (x === 10) n++;
  return n;
}

describe("gen-corpus", () => {
  const big = gen(42, 3000);

  test("same seed, same bytes; another seed, other bytes", () => {
    expect([gen(42, 3000).equals(big), gen(43, 3000).equals(big)]).toEqual([true, false]);
  });

  test("PRNG sequence is fixed for a seed", () => {
    const r = new Prng(1);
    expect([r.u32(), r.u32(), r.u32()]).toEqual([792534090, 3215351813, 160231488]);
  });

  test.each([0, 1, 2, 7, 100, 1234, 2999])("%i lines: exact line count and a prefix of 3000 lines", (n) => {
    const small = gen(42, n);
    expect({ lines: newlines(small), prefix: big.subarray(0, small.length).equals(small) }).toEqual({ lines: n, prefix: true });
  });

  test("mixes templates, and recognised timestamps never go backwards", () => {
    let pos = 0;
    let last = 0;
    let stamped = 0;
    let backwards = 0;
    while (pos < big.length) {
      const nl = big.indexOf(10, pos);
      const ts = parseLeadingTimestamp(big, pos, nl, { year: 2024 });
      if (ts > 0) {
        stamped++;
        if (ts < Math.floor(last / 1e6) * 1e6) backwards++;
        last = Math.max(last, ts);
      }
      pos = nl + 1;
    }
    const text = big.toString();
    const has = ["sshd[", '"GET ', "blk_", "BlockManager", '{"ts":', "trace_id=", "FastLeaderElection", "\tat com.example."];
    expect({ backwards, mostStamped: stamped > 2400 && stamped < 2900, templates: has.map((h) => text.includes(h)) }).toEqual({
      backwards: 0,
      mostStamped: true,
      templates: has.map(() => true),
    });
  });
});
