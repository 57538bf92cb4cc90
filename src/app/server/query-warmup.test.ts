/** The query path warm-up: one real Search through the in-process QueryService over an indexed chunk finds its one record. */

import { expect, test } from "bun:test";
import { indexSectionBuilders } from "../../index/builders.ts";
import { openChunkIndexes } from "../../index/open.ts";
import { ByteCache } from "../../storage/byte-cache.ts";
import { warmQueryPath } from "./query-warmup.ts";

const cache = new ByteCache();

test("warmQueryPath runs a Search that finds its one record and reports no error", async () => {
  const statuses: string[] = [];
  const r = await warmQueryPath({
    version: { version: "test", commit: "test", runtime: `bun ${Bun.version}` },
    source: (name, store) => ({
      name,
      store,
      indexes(view, meta) {
        statuses.push(meta.indexStatus);
        return meta.indexStatus === "none" ? undefined : openChunkIndexes(view, meta.indexStatus, { cache, key: `${meta.id}/` });
      },
    }),
    sectionBuilders: indexSectionBuilders(),
  });
  // The search asked for the indexes of one sealed, indexed chunk.
  expect({ error: r.error, timed: r.millis > 0, statuses }).toEqual({ error: undefined, timed: true, statuses: ["complete"] });
});
