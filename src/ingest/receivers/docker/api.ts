/**
 * A minimal Docker Engine API client over the daemon's Unix socket (Bun's fetch with `unix`):
 * list containers, inspect one, follow the container events, and stream a container's logs
 * (stdout and stderr, with timestamps). Unversioned paths, so any API version the daemon
 * speaks is used. Errors carry the daemon's message.
 */

import { LogError } from "../../../core/errors.ts";

export interface ContainerSummary {
  Id: string;
  State: string;
}

export interface InspectAnswer {
  Id: string;
  Name: string;
  Config: { Image: string; Labels: Record<string, string> | null; Tty: boolean };
  State: { Running: boolean; FinishedAt: string };
}

export interface DockerEvent {
  status?: string;
  Action?: string;
  id?: string;
  Type?: string;
}

/** How much of a container's log to read. */
export interface LogRequest {
  follow: boolean;
  /** Docker `since` (`seconds.nanoseconds`), inclusive; undefined = from the start. */
  since?: string;
  /** Only lines written from now on (tail=0). */
  onlyNew?: boolean;
}

export class DockerApi {
  constructor(readonly socket: string) {}

  async list(): Promise<ContainerSummary[]> {
    return (await this.json("/containers/json?all=1")) as ContainerSummary[];
  }

  async inspect(id: string): Promise<InspectAnswer> {
    return (await this.json(`/containers/${encodeURIComponent(id)}/json`)) as InspectAnswer;
  }

  /** Container start events, as parsed JSON objects, until `signal` aborts or the daemon ends the stream. */
  async *events(signal: AbortSignal): AsyncGenerator<DockerEvent> {
    const filters = encodeURIComponent(JSON.stringify({ type: ["container"], event: ["start"] }));
    const res = await this.get(`/events?filters=${filters}`, signal);
    const dec = new TextDecoder();
    let buf = "";
    for await (const chunk of res.body!) {
      buf += dec.decode(chunk, { stream: true });
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line !== "") yield JSON.parse(line) as DockerEvent;
      }
    }
  }

  /** The raw log stream (multiplexed frames, or raw bytes for a TTY container). */
  async logs(id: string, r: LogRequest, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    let q = `stdout=1&stderr=1&timestamps=1&follow=${r.follow ? 1 : 0}`;
    if (r.since !== undefined) q += `&since=${r.since}`;
    if (r.onlyNew) q += "&tail=0";
    const res = await this.get(`/containers/${encodeURIComponent(id)}/logs?${q}`, signal);
    return res.body!;
  }

  private async json(path: string): Promise<unknown> {
    return (await this.get(path)).json();
  }

  private async get(path: string, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`http://docker${path}`, { unix: this.socket, signal });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new LogError("unavailable", `Docker API at ${this.socket}: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const body = await res.text().catch(() => "");
      throw new LogError(res.status === 404 ? "not_found" : "unavailable", `Docker API GET ${path.split("?")[0]}: ${res.status} ${body.trim().slice(0, 200)}`);
    }
    return res;
  }
}
