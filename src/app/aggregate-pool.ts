/**
 * The aggregation workers of this process: Bun Workers (entry app/aggregate-worker.ts, an extra
 * entry of `bun build --compile`) that compute stats partials of sealed file-store chunks, one
 * job at a time each, started on the first parallel query and unref'd while idle so they never
 * keep the process alive. A cancelled job's worker is terminated (its scan stops at once) and
 * replaced on demand; a worker that dies fails its job with a clear error. The count is
 * GASTROLOG_QUERY_WORKERS, else the server config's query.workers, else min(cores, 4); 1 keeps
 * every aggregation in-thread. A store's stats go to them when its sealed chunks hold
 * GASTROLOG_QUERY_PARALLEL_BYTES (default 32MB; 8 times that to start them).
 */

import { availableParallelism } from "node:os";
import { LogError } from "../core/errors.ts";
import type { ChunkId } from "../core/ids.ts";
import { parseSize } from "../config/units.ts";
import type { ChunkPartials, PartialJob, PartialReply } from "../query/engine/aggregate/partials.ts";

/** Environment variable naming the number of aggregation workers (1: none, aggregate in-thread). */
export const QUERY_WORKERS_ENV = "GASTROLOG_QUERY_WORKERS";
/** Most workers by default, however many cores there are. */
const DEFAULT_MAX_WORKERS = 4;
/** Environment variable naming the raw bytes a store's sealed chunks need before its stats go to workers. */
export const PARALLEL_BYTES_ENV = "GASTROLOG_QUERY_PARALLEL_BYTES";
/** Default of PARALLEL_BYTES_ENV: about one default-sized chunk (32MB); below it a query is quicker in-thread. */
const DEFAULT_PARALLEL_BYTES = 32 << 20;
/** How many times more bytes a query needs to start the workers than to use them once running. */
const COLD_FACTOR = 8;

/** A job as a worker receives it: the chunk's segment file to open read-only. */
export interface WorkerJob extends PartialJob {
  id: number;
  path: string;
  /** The worker's share of the cache budget (1/workers), taken when its cache is made. */
  cacheShare: number;
}

/** A worker's answer to job `id`. */
export type WorkerReply = PartialReply & { id: number };

/** Where the worker entry lives (next to this file under `bun run`; under src/app/ in a compiled binary, see seal-worker-url.ts). */
const here = import.meta.url;
export const aggregateWorkerUrl: string = here.includes("/$bunfs/") ? new URL("./app/aggregate-worker.ts", here).href : new URL("./aggregate-worker.ts", here).href;

/** Workers to run: GASTROLOG_QUERY_WORKERS of `env`, else `configured` (config query.workers) when > 0, else min(cores, 4). */
export function queryWorkers(env: Record<string, string | undefined>, configured = 0, cores = availableParallelism()): number {
  const text = env[QUERY_WORKERS_ENV];
  if (text === undefined || text === "") return configured > 0 ? configured : Math.max(1, Math.min(cores, DEFAULT_MAX_WORKERS));
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new LogError("invalid_argument", `${QUERY_WORKERS_ENV} must be a whole number of workers, 1 or more (1: aggregate in-thread), got '${text}'`);
  return n;
}

/** Raw bytes `env` asks for before stats go to workers (PARALLEL_BYTES_ENV, a size like 16MB). */
export function parallelBytes(env: Record<string, string | undefined>): number {
  const text = env[PARALLEL_BYTES_ENV];
  if (text === undefined || text === "") return DEFAULT_PARALLEL_BYTES;
  const n = parseSize(text);
  if (n === undefined) throw new LogError("invalid_argument", `${PARALLEL_BYTES_ENV} must be a size like 16MB or 0, got '${text}'`);
  return n;
}

interface Queued {
  job: WorkerJob;
  signal: AbortSignal;
  resolve(r: PartialReply): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  job?: Queued;
}

/** A fixed number of lazily started workers fed from one queue. */
export class AggregatePool {
  private readonly slots: (Slot | undefined)[];
  private readonly queue: Queued[] = [];
  private nextId = 1;

  constructor(
    readonly size: number,
    /** ChunkPartials.minBytes of the stores it serves. */
    readonly minBytes = DEFAULT_PARALLEL_BYTES,
    private readonly workerUrl = aggregateWorkerUrl,
  ) {
    this.slots = new Array<Slot | undefined>(size);
  }

  /** The reply for `job` on segment file `path`; see ChunkPartials.run. */
  run(job: PartialJob, path: string, signal: AbortSignal): Promise<PartialReply> {
    if (signal.aborted) return Promise.reject(reasonOf(signal));
    return new Promise((resolve, reject) => {
      const q: Queued = { job: { ...job, id: this.nextId++, path, cacheShare: 1 / this.size }, signal, resolve, reject };
      const onAbort = () => this.cancel(q);
      signal.addEventListener("abort", onAbort, { once: true });
      const settle = <T>(f: (v: T) => void) => (v: T) => {
        signal.removeEventListener("abort", onAbort);
        f(v);
      };
      q.resolve = settle(resolve);
      q.reject = settle(reject);
      this.queue.push(q);
      this.pump();
    });
  }

  /** Terminates every worker; queued and running jobs fail. */
  async close(): Promise<void> {
    const err = new LogError("cancelled", "aggregation workers stopped");
    for (const q of this.queue.splice(0)) q.reject(err);
    await Promise.all(this.slots.map((s, i) => s && this.stopSlot(i, err)));
  }

  /**
   * This pool as one file store's ChunkPartials: jobs name chunks, `pathOf` finds their segment
   * files. Until a worker runs, minBytes is COLD_FACTOR times larger: starting the workers costs
   * about what an in-thread scan of a few hundred MB does, which a one-shot `query` pays in full.
   */
  forStore(pathOf: (id: ChunkId) => string): ChunkPartials {
    const pool = this;
    return {
      workers: this.size,
      get minBytes() {
        return pool.slots.some((s) => s !== undefined) ? pool.minBytes : pool.minBytes * COLD_FACTOR;
      },
      run: (job, signal) => this.run(job, pathOf(job.chunk.id), signal),
    };
  }

  /**
   * Hands queued jobs to free workers. A worker takes a job of a chunk it owns (chunk ID hash
   * modulo the workers) first, else the oldest job: a chunk keeps being read by the same worker
   * while the load allows, so its decoded blocks and index parts stay in that worker's cache
   * (each holds 1/workers of the budget: together, one budget over disjoint chunks).
   */
  private pump(): void {
    for (let i = 0; i < this.slots.length && this.queue.length > 0; i++) {
      const slot = this.slots[i] ?? this.startSlot(i);
      if (slot.job !== undefined) continue;
      const own = this.queue.findIndex((q) => ownerOf(q.job.chunk.id, this.size) === i);
      const q = this.queue.splice(Math.max(own, 0), 1)[0]!;
      slot.job = q;
      slot.worker.ref();
      slot.worker.postMessage(q.job);
    }
  }

  private startSlot(i: number): Slot {
    const worker = new Worker(this.workerUrl);
    const slot: Slot = { worker };
    worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const q = slot.job;
      if (q === undefined || e.data.id !== q.job.id) return;
      slot.job = undefined;
      worker.unref();
      q.resolve(e.data);
      this.pump();
    };
    const die = (why: string) => {
      if (this.slots[i] !== slot) return;
      void this.stopSlot(i, new LogError("internal", `aggregation worker failed (${why}); the query stopped — run it again, or set ${QUERY_WORKERS_ENV}=1 to aggregate in-thread`));
      this.pump();
    };
    worker.onerror = (e: ErrorEvent) => die(e.message);
    worker.addEventListener("close", () => die("worker exited"));
    worker.unref();
    this.slots[i] = slot;
    return slot;
  }

  /** Removes slot `i` (a fresh worker starts when needed), failing its job with `err`. */
  private async stopSlot(i: number, err: unknown): Promise<void> {
    const slot = this.slots[i];
    if (slot === undefined) return;
    this.slots[i] = undefined;
    slot.job?.reject(err);
    slot.job = undefined;
    await slot.worker.terminate();
  }

  private cancel(q: Queued): void {
    const at = this.queue.indexOf(q);
    if (at >= 0) {
      this.queue.splice(at, 1);
      q.reject(reasonOf(q.signal));
      return;
    }
    const i = this.slots.findIndex((s) => s?.job === q);
    if (i >= 0) void this.stopSlot(i, reasonOf(q.signal));
    this.pump();
  }
}

/** The worker that owns chunk `id` (FNV-1a of the ID modulo `workers`). */
function ownerOf(id: string, workers: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
  return (h >>> 0) % workers;
}

function reasonOf(signal: AbortSignal): unknown {
  const r: unknown = signal.reason;
  return r instanceof LogError ? r : new LogError("cancelled", "query cancelled");
}

let shared: AggregatePool | undefined;
let configured = 0;

/** The config's query.workers (0: auto), for the pool made after this call (a server sets it before opening stores). */
export function configureQueryWorkers(workers: number): void {
  configured = workers;
}

/** This process's pool (made on first use, sized by its environment and config); undefined when it is 1 worker. */
export function processPool(): AggregatePool | undefined {
  shared ??= new AggregatePool(queryWorkers(process.env, configured), parallelBytes(process.env));
  return shared.size > 1 ? shared : undefined;
}
