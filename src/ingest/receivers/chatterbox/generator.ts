/**
 * The pure part of the chatterbox receiver: picks a format by weight and builds one record
 * (ingestTs = now, attrs = format attrs + receiver/instance), and draws the next delay.
 */

import type { RecordInput } from "../../../core/record.ts";
import { chatter, makePools, type Pools } from "./formats.ts";
import type { ChatterboxConfig, ChatterFormat } from "./params.ts";
import { Rng } from "./rng.ts";

const enc = new TextEncoder();

export class ChatterboxGenerator {
  private readonly pools: Pools;
  private readonly total: number;

  constructor(
    private readonly config: ChatterboxConfig,
    private readonly rng: Rng = new Rng(),
  ) {
    this.pools = makePools(config.hostCount, config.serviceCount);
    this.total = config.weights.reduce((n, w) => n + w.weight, 0);
  }

  /** A weighted random format. */
  pickFormat(): ChatterFormat {
    let r = this.rng.int(this.total);
    for (const w of this.config.weights) {
      if (r < w.weight) return w.format;
      r -= w.weight;
    }
    return this.config.weights[0]!.format;
  }

  /** The next record at wall-clock `nowUs`. */
  next(nowUs: number): RecordInput {
    const c = chatter(this.pickFormat(), this.rng, this.pools, nowUs);
    return {
      raw: typeof c.raw === "string" ? enc.encode(c.raw) : c.raw,
      attrs: { ...c.attrs, receiver: "chatterbox", instance: this.config.instance },
      sourceTs: 0,
      ingestTs: nowUs,
    };
  }

  /** Delay before the next message in µs: uniform in [min, max), exactly min when min >= max. */
  delay(): number {
    const { minInterval: lo, maxInterval: hi } = this.config;
    return lo >= hi ? lo : lo + Math.floor(this.rng.next() * (hi - lo));
  }
}
