/**
 * Harness for receiver tests: a real file store in a temp dir behind an IngestPipeline, one
 * receiver started on port 0, and an appender that wakes tests when N records are durable
 * (no sleeps). Dispose stops the receiver, drains the pipeline and removes the store.
 */

import { join } from "node:path";
import type { LogRecord, RecordInput } from "../../src/core/record.ts";
import { storeAppender, type Appender } from "../../src/ingest/pipeline/appender.ts";
import { ReceiverCounters } from "../../src/ingest/pipeline/counters.ts";
import { IngestPipeline, type PipelineOptions } from "../../src/ingest/pipeline/pipeline.ts";
import type { Receiver, ReceiverConfig, ReceiverEvent } from "../../src/ingest/receivers/receiver.ts";
import { createReceiver } from "../../src/ingest/receivers/registry.ts";
import { tempStore, type TempStore } from "../../src/ingest/test-support.ts";
import { until } from "../support/until.ts";

/** Counts durable records and resolves waiters once a count is reached. */
export class CountingAppender implements Appender {
  appended = 0;
  /** Called with every durable batch before waiters are checked. */
  onBatch: (records: RecordInput[]) => void = () => {};
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];
  constructor(private readonly inner: Appender) {}

  async append(records: RecordInput[]): Promise<void> {
    await this.inner.append(records);
    this.appended += records.length;
    this.onBatch(records);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred()) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves when at least n records are durable; rejects after timeoutMs with what arrived. */
  waitFor(n: number, timeoutMs = 10_000): Promise<void> {
    return this.waitUntil(() => this.appended >= n, timeoutMs, `${n} records`);
  }

  /** Resolves once `pred()` holds after a batch; rejects after timeoutMs. */
  waitUntil(pred: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}, got ${this.appended} records`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

export interface Harness extends AsyncDisposable {
  receiver: Receiver;
  pipeline: IngestPipeline;
  appender: CountingAppender;
  temp: TempStore;
  events: ReceiverEvent[];
  /** Bound port of the first listen URL with this scheme. */
  port(scheme: string): number;
  records(): LogRecord[];
}

export async function startHarness(config: Omit<ReceiverConfig, "id"> & { id?: string }, pipelineOptions: PipelineOptions = {}): Promise<Harness> {
  const temp = await tempStore("gastrolog-recv-");
  const appender = new CountingAppender(storeAppender(temp.store));
  const pipeline = new IngestPipeline(appender, pipelineOptions);
  const events: ReceiverEvent[] = [];
  const receiver = createReceiver({ id: config.id ?? "r1", ...config }, { pipeline, onEvent: (e) => events.push(e) });
  await receiver.start();
  if (receiver.stats().state !== "running") throw new Error(`receiver did not start: ${JSON.stringify(events)}`);
  return {
    receiver,
    pipeline,
    appender,
    temp,
    events,
    port(scheme) {
      const url = receiver.stats().listening.find((u) => u.startsWith(`${scheme}://`));
      if (!url) throw new Error(`no ${scheme} listener in ${receiver.stats().listening.join(", ")}`);
      return Number(url.slice(url.lastIndexOf(":") + 1));
    },
    records: () => temp.records(),
    async [Symbol.asyncDispose]() {
      await receiver.stop();
      await pipeline.drain();
      await temp[Symbol.asyncDispose]();
    },
  };
}

/**
 * Holds the harness's appends and fills the ingest queue to its bound (start the harness with
 * `maxQueuedRecords: 1`): two filler records (sourceTs 1), one held in its append, one queued.
 * Returns the function that lets appends through again.
 */
export async function fillQueue(h: Harness): Promise<() => void> {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const append = h.appender.append.bind(h.appender);
  h.appender.append = async (rs: RecordInput[]) => {
    await gate;
    return append(rs);
  };
  const filler = new ReceiverCounters();
  const fill = (n: number): RecordInput => ({ raw: new TextEncoder().encode(`filler ${n}`), attrs: {}, sourceTs: 1, ingestTs: 1 });
  h.pipeline.push(fill(1), filler);
  await until(() => h.pipeline.stats().appending === 1, { what: "the first append to start" });
  h.pipeline.push(fill(2), filler);
  return open;
}

/**
 * Runs a client command without blocking the event loop (our listeners run in this process);
 * returns its stdout, throws with its stderr when it fails.
 */
export async function run(cmd: string[], input?: string): Promise<string> {
  const p = Bun.spawn(cmd, { stdin: input === undefined ? "ignore" : Buffer.from(input), stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}: ${err}`);
  return out;
}

/** True when `name` is on PATH. */
export function hasCommand(name: string): boolean {
  return Bun.which(name) !== null;
}

const dec = new TextDecoder();
/** Records reduced to raw text and attrs without the volatile remote_ip. */
export function simplify(rs: LogRecord[]): { raw: string; attrs: Record<string, string>; sourceTs: number }[] {
  return rs.map((r) => {
    const { remote_ip: _ip, ...attrs } = r.attrs;
    return { raw: dec.decode(r.raw), attrs, sourceTs: r.sourceTs };
  });
}

/** A self-signed certificate for 127.0.0.1 (CN and IP SAN, so clients can verify it) made by openssl in `dir` (receiver TLS tests). */
export async function selfSigned(dir: string): Promise<{ certFile: string; keyFile: string }> {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  await run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]);
  return { certFile, keyFile };
}

/** A TCP port that was free a moment ago (for listeners that must rebind the same port). */
export function freePort(): number {
  const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = l.port;
  l.stop(true);
  return port;
}
