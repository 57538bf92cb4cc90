/**
 * The receiver hook of the server's reconcile step: a ReceiverManager keeps the running
 * receivers equal to the config's `receivers` list — starts added or enabled ones, stops
 * removed or disabled ones, restarts only those whose entry changed; the others keep running.
 * Receivers are built by per-type factories (one line per type, like the ingest registry):
 * "chatterbox" (demo data) here, the network receivers in receiver-factories.ts. Every record
 * goes through the host's router. A receiver whose first bind failed stays in the running set
 * (it retries with backoff) and is reported as a problem of the config version.
 */

import { errorMessage, LogError } from "../../core/errors.ts";
import type { ReceiverView } from "../../api/host.ts";
import type { ReceiverEntry } from "../../config/schema.ts";
import type { RecordInput } from "../../core/record.ts";
import type { Logger } from "../../observability/logger.ts";

/** Hands a batch to the stores (routed); resolves when stored. */
export type IngestFn = (batch: readonly RecordInput[]) => Promise<unknown>;

/** One running receiver as the manager drives it. */
export interface ManagedReceiver {
  /** Binds listeners / starts producing; may reject (the entry is then reported as failed). */
  start(): void | Promise<void>;
  /** Stops and resolves once its appends in flight settled. */
  stop(): Promise<void>;
  view(): ReceiverView;
}

/** Builds a receiver of one type from its config entry; throws LogError for bad options. */
export type ManagedReceiverFactory = (config: Readonly<ReceiverEntry>, ingest: IngestFn, logger: Logger) => ManagedReceiver;

/** A receiver entry that could not be started (reported by apply, kept out of the running set). */
export interface ReceiverProblem {
  id: string;
  message: string;
}

/** What reconcile asks of receivers. */
export interface ReceiverManager {
  /** Makes the running receivers match `wanted`; problems are returned, never thrown. */
  apply(wanted: readonly ReceiverEntry[]): Promise<ReceiverProblem[]>;
  views(): ReceiverView[];
  /** Stops every receiver (shutdown). */
  stop(): Promise<void>;
}

/** Factories of the receiver types this build runs from config. */
export const BUILTIN_RECEIVERS: Readonly<Record<string, ManagedReceiverFactory>> = {
  chatterbox: (c, ingest, logger) => chatterbox(c.id, stringParams(c.options), ingest, logger),
};

/** A ChatterboxReceiver (demo data) as a ManagedReceiver. */
export function chatterbox(id: string, params: Record<string, string>, ingest: IngestFn, logger: Logger): ManagedReceiver {
  const { ChatterboxReceiver } = require("../../ingest/receivers/chatterbox/receiver.ts") as typeof import("../../ingest/receivers/chatterbox/receiver.ts");
  const r = new ChatterboxReceiver({ name: id, params, append: ingest, onError: (m) => logger.warn(`append failed: ${m}`) });
  return { start: () => r.start(), stop: () => r.stop(), view: () => ({ name: r.name, type: r.type, params: r.params, state: r.state, records: r.records, errors: r.errors }) };
}

interface Running {
  key: string;
  receiver: ManagedReceiver;
}

/**
 * The ReceiverManager over `factories`. `fixed` receivers (e.g. `serve --demo`) run outside
 * the config: started with the first apply, stopped by stop().
 */
export class FactoryReceiverManager implements ReceiverManager {
  private readonly running = new Map<string, Running>();
  private fixedStarted = false;

  constructor(
    private readonly factories: Readonly<Record<string, ManagedReceiverFactory>>,
    private readonly ingest: IngestFn,
    private readonly logger: Logger,
    private readonly fixed: readonly ManagedReceiver[] = [],
  ) {}

  async apply(wanted: readonly ReceiverEntry[]): Promise<ReceiverProblem[]> {
    if (!this.fixedStarted) {
      this.fixedStarted = true;
      for (const f of this.fixed) {
        await f.start();
        const v = f.view();
        if (v.state === "failed") this.logger.error(`receiver ${v.name} (from a flag) is not listening yet: ${v.net?.lastError ?? "failed to start"}; retrying with backoff`, { receiver: v.name });
      }
    }
    const problems: ReceiverProblem[] = [];
    const want = new Map(wanted.filter((r) => r.enabled).map((r) => [r.id, r]));
    for (const [id, run] of this.running) {
      const w = want.get(id);
      if (w && JSON.stringify(w) === run.key) continue;
      await run.receiver.stop();
      this.running.delete(id);
      this.logger.info(w ? "receiver stopped for restart" : "receiver stopped", { receiver: id });
    }
    for (const [id, r] of want) {
      if (this.running.has(id)) continue;
      try {
        const factory = Object.hasOwn(this.factories, r.type) ? this.factories[r.type] : undefined;
        if (!factory) throw new LogError("invalid_argument", `receiver type "${r.type}" is not available in this build (available: ${Object.keys(this.factories).join(", ")})`);
        const receiver = factory(r, this.ingest, this.logger.child(id));
        await receiver.start();
        this.running.set(id, { key: JSON.stringify(r), receiver });
        const v = receiver.view();
        if (v.state === "failed") problems.push({ id, message: `${v.net?.lastError ?? "failed to start"} (retrying with backoff)` });
        else this.logger.info("receiver started", { receiver: id, type: r.type });
      } catch (err) {
        problems.push({ id, message: errorMessage(err) });
        this.logger.error(`receiver ${id} not started: ${errorMessage(err)}`, { receiver: id });
      }
    }
    return problems;
  }

  /** Fixed receivers first (origin "flag"), then the config's (origin "config"). */
  views(): ReceiverView[] {
    const fixed = this.fixed.map((r): ReceiverView => ({ ...r.view(), origin: "flag" }));
    return [...fixed, ...[...this.running.values()].map((r): ReceiverView => ({ ...r.receiver.view(), origin: "config" }))];
  }

  async stop(): Promise<void> {
    await Promise.all([...this.fixed, ...[...this.running.values()].map((r) => r.receiver)].map((r) => r.stop()));
    this.running.clear();
  }
}

/** Receiver options as string parameters (chatterbox takes them; views show them). */
export function stringParams(options: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}
