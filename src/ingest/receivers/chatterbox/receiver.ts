/**
 * The chatterbox test receiver: emits one generated record after each random delay until
 * stopped, appending through the injected Appender (which resolves when the record is
 * stored). The next delay starts after the append settled, so a slow store slows it down.
 */

import { errorMessage } from "../../../core/errors.ts";
import type { RecordInput } from "../../../core/record.ts";
import { systemClock, type Clock } from "../../../core/time.ts";
import { ChatterboxGenerator } from "./generator.ts";
import { parseChatterboxParams } from "./params.ts";
import { Rng } from "./rng.ts";

/** Where receivers hand records: resolves once they are stored. */
export type Appender = (batch: readonly RecordInput[]) => Promise<unknown>;

export interface ChatterboxOptions {
  name: string;
  params: Record<string, string>;
  append: Appender;
  clock?: Clock;
  seed?: number;
  /** Told about each failed append (the receiver keeps going). */
  onError?: (message: string) => void;
}

export class ChatterboxReceiver {
  readonly type = "chatterbox";
  records = 0;
  errors = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly gen: ChatterboxGenerator;
  private readonly clock: Clock;

  /** Validates params; throws LogError("invalid_argument") naming the bad one. */
  constructor(private readonly opts: ChatterboxOptions) {
    this.gen = new ChatterboxGenerator(parseChatterboxParams(opts.params), new Rng(opts.seed));
    this.clock = opts.clock ?? systemClock;
  }

  get name(): string {
    return this.opts.name;
  }

  get params(): Record<string, string> {
    return this.opts.params;
  }

  get state(): "running" | "stopped" {
    return this.running ? "running" : "stopped";
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops emitting and resolves once the append in flight (if any) settled. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.emit();
    }, this.gen.delay() / 1000);
  }

  private async emit(): Promise<void> {
    try {
      await this.opts.append([this.gen.next(this.clock())]);
      this.records++;
    } catch (err) {
      this.errors++;
      this.opts.onError?.(errorMessage(err));
    }
    this.schedule();
  }
}
