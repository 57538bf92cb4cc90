/** The query path warm-up: one real Search through the in-process QueryService over its own one-record store finds that record. */

import { expect, test } from "bun:test";
import { openChunkIndexes } from "../../index/open.ts";
import { ByteCache } from "../../storage/byte-cache.ts";
import { warmQueryPath } from "./query-warmup.ts";

const cache = new ByteCache();

test("warmQueryPath runs a Search that finds its one record in its own active chunk and reports no error", async () => {
  const searched: string[] = [];
  const r = await warmQueryPath({
    version: { version: "test", commit: "test", runtime: `bun ${Bun.version}` },
    source: (name, store) => {
      searched.push(name);
      return {
        name,
        store,
        indexes: (view, meta) => (meta.indexStatus === "none" ? undefined : openChunkIndexes(view, meta.indexStatus, { cache, key: `${meta.id}/` })),
      };
    },
  });
  // Its own store, not a served one; the record is found by the scanner (no seal, no index build).
  expect({ error: r.error, timed: r.millis > 0, searched }).toEqual({ error: undefined, timed: true, searched: ["query-warm-up"] });
});
