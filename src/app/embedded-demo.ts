/**
 * The embedded demo: an hour of chatterbox records appended at once (so there is something to
 * query straight away), then the chatterbox receiver keeps adding a few per second. Small
 * memory chunks, so chunks seal and get indexed while you watch.
 */

import type { ReceiverView } from "../api/host.ts";
import type { LocalHost } from "../api/local-host.ts";
import type { RecordInput } from "../core/record.ts";
import { nowMicros } from "../core/time.ts";
import { ChatterboxGenerator } from "../ingest/receivers/chatterbox/generator.ts";
import { parseChatterboxParams } from "../ingest/receivers/chatterbox/params.ts";
import { ChatterboxReceiver } from "../ingest/receivers/chatterbox/receiver.ts";
import { Rng } from "../ingest/receivers/chatterbox/rng.ts";
import type { ChunkStore } from "../storage/types.ts";

/** Demo chunks seal every 5000 records. */
export const DEMO_ROTATION = { maxRecords: 5000 };
/** Records generated up front, spread evenly over the last hour. */
const BACKLOG = 20_000;
const HOUR_MICROS = 3_600_000_000;
const PARAMS = { minInterval: "20ms", maxInterval: "400ms", instance: "demo" };

export interface Demo {
  backlog: number;
  view(): ReceiverView;
  stop(): Promise<void>;
}

/** Fills `store` with the backlog and starts the live receiver. */
export async function startDemo(host: LocalHost, store: ChunkStore): Promise<Demo> {
  const gen = new ChatterboxGenerator(parseChatterboxParams(PARAMS), new Rng(7));
  const end = nowMicros();
  const batch: RecordInput[] = [];
  for (let i = 0; i < BACKLOG; i++) batch.push(gen.next(end - HOUR_MICROS + Math.floor((i * HOUR_MICROS) / BACKLOG)));
  await store.append(batch);
  const rx = new ChatterboxReceiver({ name: "demo", params: PARAMS, append: (b) => host.ingest("default", b) });
  rx.start();
  return {
    backlog: BACKLOG,
    view: () => ({ name: rx.name, type: rx.type, params: rx.params, state: rx.state, records: rx.records, errors: rx.errors }),
    stop: () => rx.stop(),
  };
}
