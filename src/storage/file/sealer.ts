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
}

/**
 * Seals in one lazily started Worker (jobs queue inside it). The worker is unref'd while idle
 * so it never keeps the process alive; if it dies, pending jobs reject and the next job
 * starts a fresh worker.
 */
export class WorkerSealer implements Sealer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly workerUrl: string) {}

  seal(job: SealJob): Promise<SegmentSummary> {
    const w = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ id, job } satisfies SealRequest);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new LogError("cancelled", "seal worker stopped"));
    if (w) await w.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.workerUrl);
    w.onmessage = (e: MessageEvent<SealReply>) => {
      const r = e.data;
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.summary);
      else p.reject(new LogError(r.code, r.message));
      if (this.pending.size === 0) w.unref();
    };
    const die = (why: string) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.failAll(new LogError("internal", `seal worker ${this.workerUrl} failed: ${why}`));
      void w.terminate();
    };
    w.onerror = (e: ErrorEvent) => die(e.message);
    w.addEventListener("close", () => die("worker exited"));
    w.unref();
    this.worker = w;
    return w;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
