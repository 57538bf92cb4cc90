/**
 * A file store chunk whose seal failed and waits for its retry is listed as such end to end:
 * its meta keeps state "sealing" (read as active data) with sealRetry, the API's ChunkInfo says
 * "seal_retry" with the next attempt and the failures, and the REPL's `chunks`/`chunk` lines
 * show both. Real files; the sealer fails on purpose.
 */

import { expect, test } from "bun:test";
import { toChunkInfoPb } from "../src/api/convert/chunk.ts";
import { chunkLine, renderChunk } from "../src/repl/render/chunks.ts";
import { longTime, shortTime } from "../src/repl/render/units.ts";
import { openFileStore } from "../src/storage/file/open-store.ts";
import { FlakySealer, numbered, tempDir } from "../src/storage/file/test-helpers.ts";

test("a chunk waiting for a seal retry is listed as seal_retry with its next attempt, not as sealing", async () => {
  using tmp = tempDir();
  // The retry waits a minute: the chunk is listed while it waits, then the store closes.
  const s = await openFileStore(tmp.path, { sealer: new FlakySealer(Infinity), sealRetry: { firstMs: 60_000, maxMs: 60_000 } });
  const [ref] = await s.append([numbered(0), numbered(1)]);
  await expect(s.seal()).rejects.toThrow("ENOSPC");
  const [waiting] = s.sealRetries();
  const meta = s.chunk(ref!.chunk)!;
  const info = toChunkInfoPb(meta);
  const next = waiting!.at * 1000;
  expect({
    meta: [meta.state, meta.sealRetry],
    info: [info.state, info.nextSealRetryUs, info.sealFailures],
    line: chunkLine(info).slice(chunkLine(info).indexOf("[")),
    status: renderChunk(info).find((l) => l.includes("Status:")),
  }).toEqual({
    meta: ["sealing", { failures: 1, at: waiting!.at }],
    info: ["seal_retry", BigInt(next), 1],
    line: `[seal_retry, next ${shortTime(next)}]`,
    status: `  Status:   seal_retry (seal failed once, next attempt ${longTime(next)}; read as active data)`,
  });
  await s.close();
  // Closed: no retry waits any more, and the chunk lists as sealing (it is sealed at the next open).
  expect(toChunkInfoPb(s.chunk(ref!.chunk)!).state).toBe("sealing");
});
