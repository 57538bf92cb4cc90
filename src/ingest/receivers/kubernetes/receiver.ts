/**
 * Kubernetes receiver: the CRI log files kubelet keeps on every node, followed through
 * kubelet's rotations (`0.log` renamed to `0.log.<date>`, later compressed) and restarts.
 * Sources: `file:///var/log/pods` (`<ns>_<pod>_<uid>/<container>/<n>.log`; the container id
 * comes from the symlinks in the sibling /var/log/containers) or `file:///var/log/containers`
 * (the symlinks themselves). `P`/`F` partial lines are joined. Attrs: receiver, namespace,
 * pod, pod_uid, container, container_id, restart, stream. Options: the file options of
 * file-options.ts (start defaults to end), multilineStart.
 */

import { basename, dirname, join } from "node:path";
import type { Attrs } from "../../../core/record.ts";
import type { Checkpointer } from "../../checkpoint/checkpointer.ts";
import { RecordAssembler } from "../../files/assembler.ts";
import { compilePattern } from "../../files/discovery.ts";
import type { FollowerOptions } from "../../files/follower.ts";
import type { Chain } from "../../files/stream.ts";
import { FILE_OPTIONS, fileSettings } from "../file-options.ts";
import { checkOptionKeys, regexOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { FileReceiver } from "../file-receiver.ts";
import type { RunningSource } from "../source-receiver.ts";
import { CriDecoder } from "./cri.ts";
import { ContainerIds, containersLinkAttrs, podsPathAttrs, type PodAttrs } from "./paths.ts";

const OPTIONS = { ...FILE_OPTIONS, multilineStart: "string" } as const;

export class KubernetesReceiver extends FileReceiver {
  private readonly settings: Omit<FollowerOptions, "chain" | "accept">;
  private readonly multiline: RegExp | undefined;
  /** Set when the sources are /var/log/pods trees (ids come from their containers/ links). */
  private readonly ids = new Map<string, ContainerIds>();

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx, { schemes: ["file"], expected: "file:///var/log/pods or file:///var/log/containers", options: OPTIONS });
    checkOptionKeys(this.config, Object.keys(OPTIONS));
    const patterns = this.addresses.map((a) => {
      if (basename(a.path) === "containers") return compilePattern(join(a.path, "*.log"));
      this.ids.set(a.path, new ContainerIds(join(dirname(a.path), "containers")));
      return compilePattern(join(a.path, "*", "*", "*.log"));
    });
    this.settings = { ...fileSettings(this.config, "end"), patterns, encoding: "utf-8" };
    this.multiline = regexOption(this.config, "multilineStart");
  }

  protected override startSource(cp: Checkpointer): Promise<RunningSource> {
    return this.follow(cp, { ...this.settings, chain: (path) => this.chain(path) });
  }

  private podAttrs(path: string): PodAttrs {
    for (const [root, ids] of this.ids) {
      if (!path.startsWith(root + "/")) continue;
      const a = podsPathAttrs(path);
      const id = ids.idOf(path);
      return id === undefined ? a : { ...a, container_id: id };
    }
    return containersLinkAttrs(path);
  }

  private chain(path: string): Chain {
    const pod = this.podAttrs(path);
    const cache = new Map<string, Attrs>();
    const attrs = (stream: string) => {
      let a = cache.get(stream);
      if (!a) cache.set(stream, (a = Object.freeze({ receiver: this.id, ...pod, ...(stream === "" ? {} : { stream }) })));
      return a;
    };
    const assembler = new RecordAssembler(this.multiline, this.settings.maxLine);
    return { decoder: new CriDecoder(assembler, attrs, this.counters), assembler };
  }
}

/** Registry entry. */
export function createKubernetesReceiver(config: ReceiverConfig, ctx: ReceiverContext): KubernetesReceiver {
  return new KubernetesReceiver(config, ctx);
}
