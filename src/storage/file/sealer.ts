/**
 * Sealer injection: how a file store turns an active chunk into a segment. InlineSealer runs
 * the job on the calling thread (tests, tools); WorkerSealer runs it in a Bun Worker so
 * appends continue while compression and index builds run. The worker entry is
 * src/app/seal-worker.ts; the composition root passes its URL (see sealWorkerUrl there).
 */

import { LogError } from "../../core/errors.ts";
import type { SegmentSummary } from "../segment/writer.ts";
import type { SectionBuilderFactory } from "../types.ts";
import { runSealJob, type SealJob, type SealReply, type SealRequest } from "./seal-job.ts";
import { failSealSplit, newSealSplit, type SealSplit } from "./seal-split.ts";

/** Turns an active chunk's files into a sealed segment. */
export interface Sealer {
  seal(job: SealJob): Promise<SegmentSummary>;
  /** Stops background resources; in-flight seals reject. */
  close(): Promise<void>;
}

/** Seals on the calling thread (blocks it for the duration of the seal). */
export class InlineSealer implements Sealer {
  constructor(private readonly builders: SectionBuilderFactory = () => []) {}

  async seal(job: SealJob): Promise<SegmentSummary> {
    await Promise.resolve();
    return runSealJob(job, this.builders);
  }

  async close(): Promise<void> {}
}

interface Pending {
  resolve(s: SegmentSummary): void;
  reject(err: unknown): void;
  /** Split seals: the link to the helper's half, and the helper's error if it failed. */
  split?: SealSplit;
  helperError?: LogError;
  /** Fires when the job runs past WorkerSealerOptions.jobTimeoutMs. */
  deadline: ReturnType<typeof setTimeout>;
}

/**
 * Default longest run of one seal job (from its posting, so it includes one job queued ahead):
 * a 64 MiB chunk seals in seconds, a slow single-core box in well under a minute.
 */
export const DEFAULT_SEAL_JOB_TIMEOUT_MS = 10 * 60_000;

export interface WorkerSealerOptions {
  /**
   * Split each seal over two workers (seal-split.ts): the writer compresses blocks and builds
   * some sections while a helper builds the others. Pays with 2+ cores, where the seal worker
   * would otherwise be the import's bottleneck; on one core it only adds a second read.
   */
  split?: boolean;
  /**
   * A job still running after this many ms counts as hung: the workers are terminated, pending
   * jobs reject (their chunks stay active data, sealed again at the next open) and the next
   * job starts fresh workers. Default DEFAULT_SEAL_JOB_TIMEOUT_MS.
   */
  jobTimeoutMs?: number;
}

/**
 * Seals in one lazily started Worker (jobs queue inside it), plus a helper Worker when seals
 * are split. Workers are unref'd while idle so they never keep the process alive; if one
 * dies or a job hangs past its timeout, pending jobs reject and the next job starts fresh workers.
 */
export class WorkerSealer implements Sealer {
  private writer: Worker | undefined;
  private helper: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly workerUrl: string,
    private readonly options: WorkerSealerOptions = {},
  ) {}

  seal(job: SealJob): Promise<SegmentSummary> {
    const w = (this.writer ??= this.start("writer"));
    const id = this.nextId++;
    const split = this.options.split ? newSealSplit() : undefined;
    const timeoutMs = this.options.jobTimeoutMs ?? DEFAULT_SEAL_JOB_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => this.stopWorkers(`seal job for chunk ${job.chunkId} still running after ${timeoutMs} ms (worker hung)`), timeoutMs);
      deadline.unref();
      this.pending.set(id, { resolve, reject, split, deadline });
      w.ref();
      w.postMessage({ id, job: { ...job, split } } satisfies SealRequest);
      if (split) {
        const h = (this.helper ??= this.start("helper"));
        h.ref();
        h.postMessage({ id, job: { ...job, split }, role: "helper" } satisfies SealRequest);
      }
    });
  }

  async close(): Promise<void> {
    const workers = [this.writer, this.helper];
    this.writer = this.helper = undefined;
    this.failAll(new LogError("cancelled", "seal worker stopped"));
    for (const w of workers) if (w) await w.terminate();
  }

  private start(role: "writer" | "helper"): Worker {
    const w = new Worker(this.workerUrl);
    w.onmessage = (e: MessageEvent<SealReply>) => {
      if (role === "helper") this.helperDone(e.data);
      else this.writerDone(e.data);
      if (this.pending.size === 0) this.unrefAll();
    };
    const die = (why: string) => {
      if (this.writer === w || this.helper === w) this.stopWorkers(`${role} worker failed: ${why}`);
    };
    w.onerror = (e: ErrorEvent) => die(e.message);
    w.addEventListener("close", () => die("worker exited"));
    w.unref();
    return w;
  }

  /** Terminates both workers (the other one may be waiting for, or working on, its pair's half) and rejects every pending job. */
  private stopWorkers(why: string): void {
    const pair = [this.writer, this.helper];
    this.writer = this.helper = undefined;
    this.failAll(new LogError("internal", `seal worker ${this.workerUrl} stopped: ${why}`));
    for (const x of pair) if (x) void x.terminate();
  }

  private writerDone(r: SealReply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    clearTimeout(p.deadline);
    if (r.ok && r.summary) p.resolve(r.summary);
    else if (r.ok) p.reject(new LogError("internal", `seal worker replied to job ${r.id} without a summary`));
    // The helper's failure is the cause when the writer failed because of it.
    else p.reject(p.helperError ?? new LogError(r.code, r.message));
  }

  private helperDone(r: SealReply): void {
    const p = this.pending.get(r.id);
    if (p && !r.ok) p.helperError = new LogError(r.code, `seal helper: ${r.message}`);
  }

  private unrefAll(): void {
    this.writer?.unref();
    this.helper?.unref();
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.deadline);
      if (p.split) failSealSplit(p.split);
      p.reject(err);
    }
    this.pending.clear();
  }
}
