/**
 * Kafka receiver, a failed append with windows fetched ahead of it, against kcat's librdkafka
 * mock cluster: the first append holding the partition's records is held while two more windows
 * queue behind it, then fails once. Every message ends up stored, the stored records minus the
 * duplicates counter equal the messages produced (the windows stored behind the failure and
 * fetched again after the seek count as duplicates), and the committed offset never passes
 * the durable prefix of the partition.
 */

import { expect, test } from "bun:test";
import { committed, KCAT, produce, startMockCluster } from "./kafka-mock.ts";
import { simplify, startHarness } from "./support.ts";
import { until } from "../support/until.ts";

/** The offset after the contiguous run of stored offsets from 0. */
function durablePrefix(offsets: ReadonlySet<number>): number {
  let k = 0;
  while (offsets.has(k)) k++;
  return k;
}

test.skipIf(!KCAT)("windows queued behind a failed append: stored ones count as duplicates when fetched again; commits never pass the durable prefix", async () => {
  await using cluster = await startMockCluster();
  // Creates the topic; stored before the failing append (another partition).
  await produce(cluster.bootstrap, "behind", ["k:seed"], { partition: 3 });
  await using h = await startHarness({ type: "kafka", listen: [`kafka://${cluster.bootstrap}/behind?group=g7&start=earliest`] });
  const append = h.appender.append.bind(h.appender);
  let open = () => {};
  const gate = new Promise<void>((r) => (open = r));
  let failed = false;
  h.appender.append = async (rs) => {
    if (!failed && rs.some((r) => r.attrs.partition === "0")) {
      failed = true;
      await gate;
      throw new Error("disk full");
    }
    return append(rs);
  };
  const windows = ["a", "b", "c"].map((w) => Array.from({ length: 3 }, (_, i) => `k:${w} ${i}`));
  let produced = 1;
  for (const w of windows) {
    await produce(cluster.bootstrap, "behind", w, { partition: 0 });
    produced += w.length;
    await until(() => h.receiver.stats().messages >= produced, { what: `${produced} messages queued`, timeoutMs: 20_000 });
  }
  open();
  const stored = () => simplify(h.records()).filter((r) => r.attrs.partition === "0");
  const commitsSeen: { committed: number; durable: number }[] = [];
  await until(
    async () => {
      // Read the commit first: the durable prefix read after it can only be larger.
      const c = Number((await committed(cluster.bootstrap, "g7", "behind"))[0] ?? 0);
      commitsSeen.push({ committed: c, durable: durablePrefix(new Set(stored().map((r) => Number(r.attrs.offset)))) });
      return c === 9;
    },
    { what: "offset 9 committed", timeoutMs: 30_000, pollMs: 50 },
  );
  await until(() => h.receiver.stats().acked >= produced, { what: `${produced} records counted as acked`, timeoutMs: 10_000 });
  const all = simplify(h.records()).map((r) => r.raw);
  const { duplicates } = h.receiver.stats();
  expect({
    everyMessageStored: [...new Set(all)].sort(),
    storedMinusDuplicates: all.length - duplicates,
    // Windows b and c were stored behind the failed window a, then fetched and stored again.
    duplicates,
    appendErrors: h.pipeline.stats().appendErrors,
    commitsPastDurable: commitsSeen.filter((s) => s.committed > s.durable),
  }).toEqual({
    everyMessageStored: ["seed", ...windows.flat().map((l) => l.slice(2))].sort(),
    storedMinusDuplicates: produced,
    duplicates: 6,
    appendErrors: 1,
    commitsPastDurable: [],
  });
}, 60_000);
