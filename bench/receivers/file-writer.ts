/**
 * Load generator for the tail bench, run as a separate process: `bun file-writer.ts PATH RATE
 * SECONDS` appends RATE lines per second to PATH (O_APPEND, a batch every 10 ms) for SECONDS.
 * Each line starts with its write time in epoch milliseconds so readers can measure their lag,
 * and carries a sequence number. Prints `{"lines":N,"seconds":S}`.
 */

import { closeSync, openSync, writeSync } from "node:fs";

const [path, rateArg, secondsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const TICK_MS = 10;
const PAD = "GET /api/v1/items 200 1534 0.012 host=web-01 user=alice".padEnd(60, ".");

const fd = openSync(path!, "a");
const start = performance.now();
let lines = 0;
while (performance.now() - start < seconds * 1000) {
  const due = Math.floor(((performance.now() - start) / 1000) * rate);
  if (due > lines) {
    const now = Date.now();
    let text = "";
    for (; lines < due; lines++) text += `${now} seq=${lines} ${PAD}\n`;
    writeSync(fd, text);
  }
  await Bun.sleep(TICK_MS);
}
closeSync(fd);
console.log(JSON.stringify({ lines, seconds: (performance.now() - start) / 1000 }));
