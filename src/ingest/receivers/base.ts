/**
 * BaseReceiver: the lifecycle every network receiver shares — bind all listeners, report and
 * count errors, restart with exponential backoff after a bind failure or a listener crash, and
 * expose counters plus state. Subclasses implement `open()` (bind sockets) only; they call
 * `crashed()` for a listener-level failure; bad input is a counted drop (counters.drop with a
 * detail), which is logged here through a DropReport (rate-limited).
 */

import { errorMessage } from "../../core/errors.ts";
import type { Rejection } from "../../security/tls.ts";
import { systemClock, type Clock } from "../../core/time.ts";
import { ReceiverCounters } from "../pipeline/counters.ts";
import type { IngestPipeline } from "../pipeline/pipeline.ts";
import { DropReport } from "./drop-report.ts";
import type { Receiver, ReceiverConfig, ReceiverContext, ReceiverEvent, ReceiverState, ReceiverStats } from "./receiver.ts";

/** A bound socket or server. */
export interface Listener {
  /** The bound address as a URL (port 0 resolved). */
  readonly address: string;
  close(): void;
}

/** First restart delay; doubles per consecutive failure up to BACKOFF_MAX_MS. */
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 30_000;

export abstract class BaseReceiver implements Receiver {
  readonly id: string;
  readonly type: string;
  readonly counters = new ReceiverCounters();
  protected readonly pipeline: IngestPipeline;
  protected readonly clock: Clock;
  private readonly onEvent: (e: ReceiverEvent) => void;
  private state: ReceiverState = "stopped";
  private listeners: Listener[] = [];
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private restarts = 0;
  private errors = 0;
  private lastError: string | undefined;
  private lastErrorAt: number | undefined;
  private readonly drops = new DropReport((m) => this.emit("warn", "drop", m));

  constructor(
    protected readonly config: ReceiverConfig,
    ctx: ReceiverContext,
  ) {
    this.id = config.id;
    this.type = config.type;
    this.pipeline = ctx.pipeline;
    this.clock = ctx.clock ?? systemClock;
    this.onEvent = ctx.onEvent ?? (() => {});
    this.counters.onDrop = (reason, n, bytes, detail) => this.drops.add(reason, n, bytes, detail);
  }

  /** Binds every listener; on failure closes what was bound and throws. */
  protected abstract open(): Promise<Listener[]>;

  /** Closes per-connection state (open TCP connections); called on stop and before restarts. */
  protected closeConnections(): void {}

  async start(): Promise<void> {
    if (this.state === "running" || this.state === "starting") return;
    this.failures = 0;
    await this.attempt();
  }

  async stop(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const wasActive = this.state !== "stopped";
    this.state = "stopped";
    this.closeAll();
    this.drops.flush();
    if (wasActive) this.emit("info", "stopped", "stopped");
  }

  stats(): ReceiverStats {
    const s: ReceiverStats = {
      id: this.id,
      type: this.type,
      state: this.state,
      listening: this.listeners.map((l) => l.address),
      restarts: this.restarts,
      errors: this.errors,
      ...this.counters.snapshot(),
    };
    if (this.lastError !== undefined) {
      s.lastError = this.lastError;
      s.lastErrorAt = this.lastErrorAt;
    }
    return s;
  }

  /** A listener failed at run time: close everything and restart with backoff. */
  protected crashed(err: unknown): void {
    if (this.state === "stopped") return;
    this.emit("error", "crash", `listener failed: ${errorMessage(err)}`);
    this.closeAll();
    this.scheduleRestart();
  }

  /** A handler threw on one connection or datagram: reported, the receiver keeps running. */
  protected handlerCrashed(where: string, err: unknown): void {
    this.emit("error", "crash", `${where}: ${errorMessage(err)}`);
  }

  /** An event of a subclass's own (where a local source resumed, a source it cannot read). */
  protected report(level: ReceiverEvent["level"], kind: ReceiverEvent["kind"], message: string): void {
    this.emit(level, kind, message);
  }

  /** A TLS client refused by the client-certificate policy: counted and reported with its reason. */
  protected tlsRejected(r: Rejection): void {
    this.counters.tlsRejected++;
    this.emit("warn", "tls", `TLS client ${r.remote} refused: ${r.message}`, r.reason);
  }

  /** True between a successful bind and stop() or a crash. */
  protected get running(): boolean {
    return this.state === "running";
  }

  private async attempt(): Promise<void> {
    this.state = "starting";
    try {
      const ls = await this.open();
      if (this.state !== "starting") {
        for (const l of ls) l.close();
        return;
      }
      this.listeners = ls;
      this.state = "running";
      this.failures = 0;
      this.emit("info", "started", `listening on ${ls.map((l) => l.address).join(", ")}`);
    } catch (err) {
      if (this.state !== "starting") return;
      this.emit("error", "bind", `cannot listen on ${this.config.listen.join(", ")}: ${errorMessage(err)}`);
      this.scheduleRestart();
    }
  }

  private scheduleRestart(): void {
    this.state = "failed";
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures++);
    this.emit("info", "restart", `restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.state !== "failed") return;
      this.restarts++;
      void this.attempt();
    }, delay);
  }

  private closeAll(): void {
    const ls = this.listeners;
    this.listeners = [];
    for (const l of ls) {
      try {
        l.close();
      } catch (err) {
        this.emit("warn", "crash", `closing ${l.address}: ${errorMessage(err)}`);
      }
    }
    this.closeConnections();
  }

  private emit(level: ReceiverEvent["level"], kind: ReceiverEvent["kind"], message: string, reason?: string): void {
    if (level !== "info") {
      this.errors++;
      this.lastError = message;
      this.lastErrorAt = this.clock();
    }
    try {
      this.onEvent(reason === undefined ? { receiver: this.id, level, kind, message } : { receiver: this.id, level, kind, message, reason });
    } catch {
      // A failing event sink must not take the receiver down; the counters above still hold.
    }
  }
}
