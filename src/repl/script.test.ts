import { expect, test } from "bun:test";
import fc from "fast-check";
import { streamLines } from "./script.ts";

function streamOf(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(p);
      c.close();
    },
  });
}

async function collect(parts: Uint8Array[]): Promise<string[]> {
  const out: string[] = [];
  for await (const l of streamLines(streamOf(parts))) out.push(l);
  return out;
}

test("streamLines splits LF and CRLF, keeps a last line without newline, ends at EOF", async () => {
  const enc = new TextEncoder();
  expect(await collect([enc.encode("query a\r\nne"), enc.encode("xt\n\nstats")])).toEqual(["query a", "next", "", "stats"]);
  expect(await collect([])).toEqual([]);
});

test("streamLines yields the same lines however the bytes are chunked", async () => {
  const enc = new TextEncoder();
  await fc.assert(
    fc.asyncProperty(fc.array(fc.string({ maxLength: 12 }).filter((s) => !/[\r\n]/.test(s)), { maxLength: 8 }), fc.array(fc.nat(40), { maxLength: 6 }), async (lines, cuts) => {
      const bytes = enc.encode(lines.map((l) => `${l}\n`).join(""));
      const at = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
      const parts: Uint8Array[] = [];
      let prev = 0;
      for (const c of [...at, bytes.length]) {
        parts.push(bytes.subarray(prev, c));
        prev = c;
      }
      expect(await collect(parts)).toEqual(lines);
    }),
    { numRuns: 100 },
  );
});
