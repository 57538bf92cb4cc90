/**
 * Child-process fixture for lock and crash tests (run with `bun store-child.ts MODE DIR [SEED]`):
 *   try    - open the store once, print {"ok":true} or {"code","message"} as JSON, exit
 *   hold   - open the store, print "open", keep it open until killed
 *   append - reopen, print "start N" (records found), then append numbered records in a loop
 *            with rotation and split worker seals, printing "acked N" after each resolved append
 * Test-only.
 */

import { errorMessage, LogError } from "../../core/errors.ts";
import { openFileStore } from "./open-store.ts";
import { WorkerSealer } from "./sealer.ts";
import { numbered } from "./test-helpers.ts";

const [mode, dir, seedArg] = process.argv.slice(2);
if (!dir) throw new Error("usage: store-child.ts try|hold|append DIR [SEED]");

if (mode === "try") {
  try {
    const s = await openFileStore(dir);
    await s.close();
    console.log(JSON.stringify({ ok: true }));
  } catch (err) {
    console.log(JSON.stringify({ code: err instanceof LogError ? err.code : "?", message: errorMessage(err) }));
  }
} else if (mode === "hold") {
  await openFileStore(dir);
  console.log("open");
  setInterval(() => {}, 1 << 30);
} else if (mode === "append") {
  // Split seals (writer + helper worker), so kills land in either half too.
  const sealer = new WorkerSealer(new URL("../../app/seal-worker.ts", import.meta.url).href, { split: true });
  const s = await openFileStore(dir, { rotation: { maxRecords: 300 }, sealer });
  let next = s.chunks().reduce((n, m) => n + m.records, 0);
  console.log(`start ${next}`);
  let seed = Number(seedArg ?? 1);
  for (;;) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const n = 1 + (seed % 150);
    const batch = Array.from({ length: n }, (_, i) => numbered(next + i));
    await s.append(batch);
    next += n;
    console.log(`acked ${next}`);
  }
}
