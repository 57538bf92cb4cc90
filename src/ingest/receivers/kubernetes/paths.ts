/**
 * Kubernetes attrs from log file paths, as kubelet lays them out:
 *   /var/log/pods/<namespace>_<pod>_<pod-uid>/<container>/<restart>.log
 *   /var/log/containers/<pod>_<namespace>_<container>-<container-id>.log  (symlinks to the above)
 * The container id only appears in the /var/log/containers name, so for files under
 * /var/log/pods it is looked up among the symlinks of the sibling `containers` directory.
 */

import { readdirSync, readlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** Pod, namespace, container (and ids) of one log file; empty object when the path does not say. */
export type PodAttrs = Partial<Record<"namespace" | "pod" | "pod_uid" | "container" | "container_id" | "restart", string>>;

const POD_DIR = /^([^_]+)_([^_]+)_([^_]+)$/;
const CONTAINER_LINK = /^([^_]+)_([^_]+)_(.+)-([0-9a-f]{64})\.log$/;
const RESTART = /^(\d+)\.log$/;

/** Attrs from `<ns>_<pod>_<uid>/<container>/<n>.log` (the last three path parts). */
export function podsPathAttrs(path: string): PodAttrs {
  const file = basename(path);
  const container = basename(dirname(path));
  const pod = POD_DIR.exec(basename(dirname(dirname(path))));
  if (!pod) return {};
  const out: PodAttrs = { namespace: pod[1]!, pod: pod[2]!, pod_uid: pod[3]!, container };
  const r = RESTART.exec(file);
  if (r) out.restart = r[1]!;
  return out;
}

/** Attrs from a /var/log/containers name `<pod>_<ns>_<container>-<id>.log`. */
export function containersLinkAttrs(path: string): PodAttrs {
  const m = CONTAINER_LINK.exec(basename(path));
  return m ? { pod: m[1]!, namespace: m[2]!, container: m[3]!, container_id: m[4]! } : {};
}

/** Container ids of /var/log/pods files, from the symlinks in a /var/log/containers directory. */
export class ContainerIds {
  private byTarget = new Map<string, string>();

  constructor(private readonly dir: string) {}

  /** The id of the container writing `podsPath`, re-reading the links when it is not known. */
  idOf(podsPath: string): string | undefined {
    const target = resolve(podsPath);
    if (!this.byTarget.has(target)) this.refresh();
    return this.byTarget.get(target);
  }

  private refresh(): void {
    const next = new Map<string, string>();
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      const id = containersLinkAttrs(n).container_id;
      if (id === undefined) continue;
      try {
        next.set(resolve(this.dir, readlinkSync(join(this.dir, n))), id);
      } catch {
        // not a symlink or vanished
      }
    }
    this.byTarget = next;
  }
}
