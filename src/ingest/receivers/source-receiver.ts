/**
 * SourceReceiver: what the local-source receivers (tail, docker, kubernetes, journald) share
 * on top of BaseReceiver — `listen` parsed as source addresses (file://, unix://, journalctl)
 * with their query parameters merged into the options, and the checkpointing lifecycle: on
 * each start a Checkpointer over the receiver's saved positions settles what a crash left
 * pending (asking the stores through Recall) before the subclass starts reading; stop() ends
 * the reading and waits until every pushed window is committed or failed.
 */

import { LogError } from "../../core/errors.ts";
import { Checkpointer } from "../checkpoint/checkpointer.ts";
import { PositionStore, type SourceRow } from "../checkpoint/positions.ts";
import { BaseReceiver, type Listener } from "./base.ts";
import type { ReceiverConfig, ReceiverContext } from "./receiver.ts";
import { parseSourceUrl, withUrlOptions, type OptionKind, type SourceAddress } from "./source-url.ts";

/** At most one read-problem warning per receiver per this many ms. */
const PROBLEM_REPORT_MS = 1000;

/** What a subclass started; stop() resolves once nothing more will be pushed. */
export interface RunningSource {
  stop(): Promise<void>;
}

/** The schemes a type accepts (named in errors) and the kinds of its options. */
export interface SourceSpec {
  schemes: readonly SourceAddress["scheme"][];
  /** How the schemes read in an error, e.g. "file:///path" */
  expected: string;
  options: Readonly<Record<string, OptionKind>>;
}

function prepare(config: ReceiverConfig, spec: SourceSpec): { config: ReceiverConfig; addresses: SourceAddress[] } {
  const addresses = config.listen.map((u) => parseSourceUrl(config.id, u));
  if (addresses.length === 0) throw new LogError("invalid_argument", `receiver ${config.id}: needs a source (${spec.expected})`);
  for (const a of addresses) {
    if (!spec.schemes.includes(a.scheme)) throw new LogError("invalid_argument", `receiver ${config.id}: ${config.type} reads ${spec.expected} only`);
  }
  return { config: withUrlOptions(config, addresses, spec.options), addresses };
}

export abstract class SourceReceiver extends BaseReceiver {
  protected readonly addresses: SourceAddress[];
  private readonly ctx: ReceiverContext;
  private ownPositions: PositionStore | undefined;
  private stopping: Promise<void> = Promise.resolve();
  private lastProblemAt = -Infinity;
  private unreportedProblems = 0;
  /** The checkpointer of the current run (set before startSource). */
  protected checkpointer: Checkpointer | undefined;

  constructor(config: ReceiverConfig, ctx: ReceiverContext, spec: SourceSpec) {
    const p = prepare(config, spec);
    super(p.config, ctx);
    this.addresses = p.addresses;
    this.ctx = ctx;
  }

  /** Starts reading; records go through `cp.push`. Throws to report a failed start (retried). */
  protected abstract startSource(cp: Checkpointer): Promise<RunningSource>;

  /**
   * A source could not be read (a file unreadable, a container's stream failed): a warning, at
   * most one a second; those in between are tallied into the next one.
   */
  protected readProblem(message: string): void {
    const now = Date.now();
    if (now - this.lastProblemAt < PROBLEM_REPORT_MS) {
      this.unreportedProblems++;
      return;
    }
    const more = this.unreportedProblems > 0 ? ` (+${this.unreportedProblems} more since the last report)` : "";
    this.lastProblemAt = now;
    this.unreportedProblems = 0;
    this.report("warn", "read", message + more);
  }

  /** An append failed: re-read the source from `row` (default: nothing to do). */
  protected rewind(_row: Readonly<SourceRow>): void {}

  protected override async open(): Promise<Listener[]> {
    await this.stopping;
    const positions = this.ctx.positions ?? (this.ownPositions ??= new PositionStore(":memory:"));
    const cp = new Checkpointer(positions.receiver(this.id), this.pipeline, this.counters, this.clock, (row) => this.rewind(row));
    const r = await cp.recover(this.ctx.recall);
    if (r.pending > 0) this.report("info", "resumed", `resuming after an unclean stop: ${r.pending} read window(s) were in flight, the stores held ${r.stored} of their records (read again: the rest)`);
    this.checkpointer = cp;
    const src = await this.startSource(cp);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.stopping = src.stop().then(() => cp.settled());
    };
    return this.config.listen.map((address) => ({ address, close }));
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.stopping;
  }
}
