/** The query path warm-up: one real Search through the in-process QueryService, found its one record. */

import { expect, test } from "bun:test";
import { warmQueryPath } from "./query-warmup.ts";

test("warmQueryPath runs a Search that finds its one record and reports no error", async () => {
  const r = await warmQueryPath({ version: "test", commit: "test", runtime: `bun ${Bun.version}` });
  expect({ error: r.error, timed: r.millis > 0 }).toEqual({ error: undefined, timed: true });
});
