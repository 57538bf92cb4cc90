/**
 * What the Docker receiver knows about a container — id, name, image, labels, TTY — and the
 * filters that choose containers (options `name` and `image`: regular expressions; `label`:
 * comma-separated `key` or `key=value`, all required). The same attrs come from the API
 * (inspect) and from the daemon's own `config.v2.json` beside the json-file logs.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Attrs } from "../../../core/record.ts";
import { regexOption, stringOption } from "../options.ts";
import type { ReceiverConfig } from "../receiver.ts";

export interface ContainerInfo {
  id: string;
  /** Without Docker's leading "/". */
  name: string;
  image: string;
  labels: Readonly<Record<string, string>>;
  tty: boolean;
}

export interface ContainerFilter {
  name?: RegExp;
  image?: RegExp;
  labels: [string, string | undefined][];
}

/** The filter options of a docker receiver (throws LogError for a bad regex). */
export function containerFilter(c: ReceiverConfig): ContainerFilter {
  const labels = stringOption(c, "label", "", true)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s): [string, string | undefined] => {
      const eq = s.indexOf("=");
      return eq < 0 ? [s, undefined] : [s.slice(0, eq), s.slice(eq + 1)];
    });
  return { name: regexOption(c, "name"), image: regexOption(c, "image"), labels };
}

export function matchesFilter(f: ContainerFilter, info: ContainerInfo): boolean {
  if (f.name && !f.name.test(info.name)) return false;
  if (f.image && !f.image.test(info.image)) return false;
  for (const [k, v] of f.labels) {
    const have = info.labels[k];
    if (have === undefined || (v !== undefined && have !== v)) return false;
  }
  return true;
}

/** Attrs of one stream of a container: container_id, container_name, image, stream, label.KEY. */
export function containerAttrs(receiver: string, info: ContainerInfo, stream: string): Attrs {
  const a: Record<string, string> = { receiver, container_id: info.id, container_name: info.name, image: info.image };
  if (stream !== "") a.stream = stream;
  for (const [k, v] of Object.entries(info.labels)) a[`label.${k}`] = v;
  return Object.freeze(a);
}

interface InspectLike {
  Id?: string;
  ID?: string;
  Name?: string;
  Config?: { Image?: string; Labels?: Record<string, string> | null; Tty?: boolean };
}

/** ContainerInfo from an inspect answer or a config.v2.json (same field names). */
export function containerInfo(j: InspectLike): ContainerInfo {
  return {
    id: j.Id ?? j.ID ?? "",
    name: (j.Name ?? "").replace(/^\//, ""),
    image: j.Config?.Image ?? "",
    labels: j.Config?.Labels ?? {},
    tty: j.Config?.Tty === true,
  };
}

/** The container whose directory holds `config.v2.json`, or undefined when unreadable. */
export function readContainerConfig(dir: string): ContainerInfo | undefined {
  try {
    return containerInfo(JSON.parse(readFileSync(join(dir, "config.v2.json"), "utf8")) as InspectLike);
  } catch {
    return undefined;
  }
}
