/**
 * Docker receiver, two sources:
 *  - `unix:///var/run/docker.sock`: the Engine API (api-source.ts) — running containers and
 *    those started later, multiplexed or TTY log streams, resumed by timestamp;
 *  - `file:///var/lib/docker/containers`: the json-file driver's files
 *    (`<id>/<id>-json.log`, rotations `.1`, `.2.gz` — ingest/files/follower.ts), with the
 *    container's name, image and labels from the daemon's `config.v2.json` beside them.
 * Attrs: receiver, container_id, container_name, image, stream, label.KEY (and json-file
 * `attrs`). Options: name, image (regular expressions), label (`k` or `k=v`, comma-separated),
 * start (default end: a first run skips what containers already logged), multilineStart,
 * and with file:// the file options of file-options.ts.
 */

import { basename, dirname, join } from "node:path";
import { LogError } from "../../../core/errors.ts";
import type { Attrs } from "../../../core/record.ts";
import type { Checkpointer } from "../../checkpoint/checkpointer.ts";
import type { SourceRow } from "../../checkpoint/positions.ts";
import { RecordAssembler } from "../../files/assembler.ts";
import { compilePattern } from "../../files/discovery.ts";
import type { FollowerOptions } from "../../files/follower.ts";
import type { Chain } from "../../files/stream.ts";
import { FILE_OPTIONS, fileSettings } from "../file-options.ts";
import { checkOptionKeys, regexOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { FileReceiver } from "../file-receiver.ts";
import type { RunningSource } from "../source-receiver.ts";
import { DockerApi } from "./api.ts";
import { DockerApiSource } from "./api-source.ts";
import { containerAttrs, containerFilter, matchesFilter, readContainerConfig, type ContainerFilter, type ContainerInfo } from "./containers.ts";
import { DockerJsonDecoder } from "./jsonfile.ts";

const OPTIONS = { ...FILE_OPTIONS, name: "string", image: "string", label: "string", multilineStart: "string" } as const;
/** Options that only make sense for json-file files. */
const FILE_ONLY = Object.keys(FILE_OPTIONS).filter((k) => k !== "start");

export class DockerReceiver extends FileReceiver {
  private readonly filter: ContainerFilter;
  private readonly settings: Omit<FollowerOptions, "chain" | "accept" | "patterns" | "encoding">;
  private readonly multiline: RegExp | undefined;
  private api: DockerApiSource | undefined;
  private readonly infos = new Map<string, ContainerInfo | undefined>();

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx, { schemes: ["unix", "file"], expected: "unix:///var/run/docker.sock or file:///var/lib/docker/containers", options: OPTIONS });
    const c = this.config;
    if (this.addresses.length > 1) throw new LogError("invalid_argument", `receiver ${c.id}: docker takes one source`);
    const known = this.addresses[0]!.scheme === "file" ? Object.keys(OPTIONS) : Object.keys(OPTIONS).filter((k) => !FILE_ONLY.includes(k));
    checkOptionKeys(c, known);
    this.filter = containerFilter(c);
    this.settings = fileSettings(c, "end");
    this.multiline = regexOption(c, "multilineStart");
  }

  protected override async startSource(cp: Checkpointer): Promise<RunningSource> {
    const a = this.addresses[0]!;
    if (a.scheme === "unix") {
      const src = new DockerApiSource(new DockerApi(a.path), {
        receiver: this.id,
        filter: this.filter,
        start: this.settings.start,
        checkpointer: cp,
        pipeline: this.pipeline,
        counters: this.counters,
        onError: (m) => this.readProblem(m),
        onLost: (err) => this.crashed(err),
      });
      await src.start();
      this.api = src;
      return { stop: () => src.stop() };
    }
    this.infos.clear();
    return this.follow(cp, {
      ...this.settings,
      patterns: [compilePattern(join(a.path, "*", "*-json.log"))],
      encoding: "utf-8",
      chain: (path) => this.chain(path),
      accept: (path) => matchesFilter(this.filter, this.container(path)),
    });
  }

  protected override rewind(row: Readonly<SourceRow>): void {
    if (this.api) this.api.rewind(row.source);
    else super.rewind(row);
  }

  /** The container a json-file log belongs to (config.v2.json, else its directory name). */
  private container(path: string): ContainerInfo {
    const dir = dirname(path);
    let i = this.infos.get(dir);
    if (i === undefined) {
      i = readContainerConfig(dir) ?? { id: basename(dir), name: "", image: "", labels: {}, tty: false };
      this.infos.set(dir, i);
    }
    return i;
  }

  private chain(path: string): Chain {
    const info = this.container(path);
    const cache = new Map<string, Attrs>();
    const attrs = (stream: string) => {
      let x = cache.get(stream);
      if (!x) cache.set(stream, (x = containerAttrs(this.id, info, stream)));
      return x;
    };
    const assembler = new RecordAssembler(this.multiline, this.settings.maxLine);
    return { decoder: new DockerJsonDecoder(assembler, attrs, this.counters), assembler };
  }
}

/** Registry entry. */
export function createDockerReceiver(config: ReceiverConfig, ctx: ReceiverContext): DockerReceiver {
  return new DockerReceiver(config, ctx);
}
