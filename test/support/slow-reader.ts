/**
 * A deliberately slow reader for pipe tests and benches: `cmd | bun test/support/slow-reader.ts
 * [MS] [BYTES]` reads its stdin BYTES (default 1024) at a time, pausing MS milliseconds
 * (default 2) after each read, and prints `{"bytes":N,"lines":N,"sha256":"..."}` of everything
 * it got once the pipe closes.
 */

import { readSync } from "node:fs";

const pauseMs = Number(process.argv[2] ?? 2);
const buf = Buffer.alloc(Number(process.argv[3] ?? 1024));
const hash = new Bun.CryptoHasher("sha256");
let bytes = 0;
let lines = 0;
for (;;) {
  const n = readSync(0, buf, 0, buf.length, null);
  if (n <= 0) break;
  const got = buf.subarray(0, n);
  hash.update(got);
  bytes += n;
  for (let i = got.indexOf(10); i >= 0; i = got.indexOf(10, i + 1)) lines++;
  Bun.sleepSync(pauseMs);
}
console.log(JSON.stringify({ bytes, lines, sha256: hash.digest("hex") }));
