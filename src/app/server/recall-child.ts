/**
 * Child process for recall.test.ts: a tail receiver over FILE writing to the file store in
 * STORE_DIR, with positions in POSITIONS. Its first append is acknowledged; every later one
 * reaches the store and then never returns, as if the process died between the store's commit
 * and the pipeline's ack. Prints the number of stored records after every append; the test
 * kills it with SIGKILL.
 */

import { PositionStore } from "../../ingest/checkpoint/positions.ts";
import { IngestPipeline } from "../../ingest/pipeline/pipeline.ts";
import { createReceiver } from "../../ingest/receivers/registry.ts";
import { openFileStore } from "../../storage/file/open-store.ts";

const [storeDir, positionsPath, file] = process.argv.slice(2);
const store = await openFileStore(storeDir!, { name: "test" });
let appends = 0;
let stored = 0;
const pipeline = new IngestPipeline({
  async append(rs) {
    await store.append(rs);
    stored += rs.length;
    console.log(stored);
    if (++appends > 1) await new Promise(() => {});
  },
});
const config = { id: "t", type: "tail", listen: [`file://${file}`], options: { start: "beginning", pollMs: 20, scanMs: 50 } };
await createReceiver(config, { pipeline, positions: new PositionStore(positionsPath!) }).start();
