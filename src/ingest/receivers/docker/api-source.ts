/**
 * Docker API mode: follows the logs of every running container that passes the filters, and
 * of containers started later (container start events), through `GET /containers/{id}/logs`.
 * Each container is a checkpointed source: its position is a Docker `since` time plus the
 * records to drop, committed once durable, so a restart resumes each container where it was —
 * also a container that stopped meanwhile (its remaining logs are read once). On the first run
 * with start=end, containers already running are read from now on; with start=beginning, every
 * container's log is read, stopped ones too. Containers seen for the first time later are read
 * from their first line. A container that started and stopped entirely while the receiver was
 * not running is not read. Rows of removed containers are forgotten.
 */

import { errorMessage } from "../../../core/errors.ts";
import type { Attrs } from "../../../core/record.ts";
import type { Checkpointer } from "../../checkpoint/checkpointer.ts";
import type { ReceiverCounters } from "../../pipeline/counters.ts";
import type { IngestPipeline } from "../../pipeline/pipeline.ts";
import type { DockerApi, DockerEvent } from "./api.ts";
import { containerAttrs, containerInfo, matchesFilter, type ContainerFilter, type ContainerInfo } from "./containers.ts";
import { DockerLogParser, formatLogPosition, parseLogPosition, sinceOf } from "./log-stream.ts";

export interface ApiSourceOptions {
  receiver: string;
  filter: ContainerFilter;
  start: "beginning" | "end";
  checkpointer: Checkpointer;
  pipeline: IngestPipeline;
  counters: ReceiverCounters;
  /** A container stream failed (reported; the container is attached again on its next start). */
  onError: (message: string) => void;
  /** The event stream ended or failed: the receiver restarts (with backoff). */
  onLost: (err: unknown) => void;
}

interface Attached {
  abort: AbortController;
  done: Promise<void>;
}

export class DockerApiSource {
  private readonly attached = new Map<string, Attached>();
  private readonly stopper = new AbortController();
  private events: Promise<void> | undefined;
  private firstRun = false;

  constructor(
    private readonly api: DockerApi,
    private readonly o: ApiSourceOptions,
  ) {}

  /** Lists containers and attaches to them; throws when the daemon cannot be reached. */
  async start(): Promise<void> {
    const cp = this.o.checkpointer;
    this.firstRun = cp.sources().length === 0;
    // Subscribe first so a container starting while we list is not missed (attach dedupes).
    const events = this.api.events(this.stopper.signal);
    const first = events.next();
    const list = await this.api.list();
    const ids = new Set(list.map((c) => c.Id));
    for (const s of cp.sources()) if (!ids.has(s)) cp.forget(s);
    for (const c of list) {
      const running = c.State === "running";
      // Stopped containers: the rest of those read before; on a first run from the beginning, all.
      const wanted = running || cp.row(c.Id) !== undefined || (this.firstRun && this.o.start === "beginning");
      if (wanted) this.attach(c.Id, running, this.firstRun && running);
    }
    this.events = this.watch(events, first);
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    for (const a of this.attached.values()) a.abort.abort();
    await this.events;
    await Promise.all([...this.attached.values()].map((a) => a.done));
  }

  /** Reads a container again from its committed position (an append of its records failed). */
  rewind(id: string): void {
    const a = this.attached.get(id);
    if (!a) return;
    a.abort.abort();
    void a.done.then(() => this.attach(id, true, false));
  }

  /** Names of the containers being read. */
  containers(): string[] {
    return [...this.attached.keys()];
  }

  private async watch(events: AsyncGenerator<DockerEvent>, first: Promise<IteratorResult<DockerEvent>>): Promise<void> {
    try {
      for (let r = await first; !r.done; r = await events.next()) {
        const e = r.value;
        if ((e.Action ?? e.status) === "start" && e.id) this.attach(e.id, true, false);
      }
      if (!this.stopper.signal.aborted) this.o.onLost(new Error("the Docker event stream ended"));
    } catch (err) {
      if (!this.stopper.signal.aborted) this.o.onLost(err);
    }
  }

  private attach(id: string, follow: boolean, onlyNew: boolean): void {
    if (this.attached.has(id) || this.stopper.signal.aborted) return;
    const abort = new AbortController();
    const a: Attached = { abort, done: Promise.resolve() };
    this.attached.set(id, a);
    a.done = this.read(id, follow, onlyNew, abort.signal)
      .catch((err) => {
        if (!abort.signal.aborted) this.o.onError(`container ${id.slice(0, 12)}: ${errorMessage(err)}`);
      })
      .finally(() => {
        if (this.attached.get(id) === a) this.attached.delete(id);
      });
  }

  private async read(id: string, follow: boolean, onlyNew: boolean, signal: AbortSignal): Promise<void> {
    const row = this.o.checkpointer.row(id);
    let from = row ? parseLogPosition(row.position) : undefined;
    let skip = row?.skip ?? 0;
    let tail0 = !from && onlyNew && this.o.start === "end";
    // Ask for the logs before inspecting: a short-lived container may be gone a moment later.
    let bodyP = this.api.logs(id, { follow, since: from ? sinceOf(from) : undefined, onlyNew: tail0 }, signal);
    bodyP.catch(() => {});
    const info = containerInfo(await this.api.inspect(id));
    if (!matchesFilter(this.o.filter, info)) {
      await (await bodyP).cancel();
      return;
    }
    const meta = JSON.stringify({ name: info.name, image: info.image });
    for (;;) {
      const parser = new DockerLogParser(info.tty, streamAttrs(this.o.receiver, info), from, skip);
      await this.stream(id, await bodyP, parser, meta);
      if (signal.aborted) return;
      if (!follow) {
        parser.end();
        this.take(id, parser, meta);
        return;
      }
      // A follow ends when the container stops — or early, at a log rotation (Docker 20.10):
      // follow again while it runs, else read what is left once without following.
      follow = (await this.api.inspect(id)).State.Running;
      const at = parser.position();
      if (at.us >= 0) {
        from = at;
        tail0 = false;
      }
      skip = 0;
      bodyP = this.api.logs(id, { follow, since: from ? sinceOf(from) : undefined, onlyNew: tail0 }, signal);
    }
  }

  private async stream(id: string, body: ReadableStream<Uint8Array>, parser: DockerLogParser, meta: string): Promise<void> {
    const p = this.o.pipeline;
    for await (const chunk of body) {
      this.o.counters.bytes += chunk.length;
      parser.push(chunk);
      this.take(id, parser, meta);
      if (p.full) await p.whenSpace();
    }
  }

  /** Hands the parser's finished records to the checkpointer, with its counts. */
  private take(id: string, parser: DockerLogParser, meta: string): void {
    const c = this.o.counters;
    c.parseErrors += parser.malformed;
    c.duplicates += parser.duplicates;
    parser.malformed = 0;
    parser.duplicates = 0;
    const records = parser.out;
    parser.out = [];
    if (records.length > 0) this.o.checkpointer.push(id, records, formatLogPosition(parser.position()), meta);
  }
}

/** Attrs per stream name, built once per container. */
function streamAttrs(receiver: string, info: ContainerInfo): (stream: string) => Attrs {
  const cache = new Map<string, Attrs>();
  return (stream) => {
    let a = cache.get(stream);
    if (!a) {
      a = containerAttrs(receiver, info, stream);
      cache.set(stream, a);
    }
    return a;
  };
}
