/**
 * Addresses of sources the receivers read from (tail, docker, kubernetes, journald, kafka) as
 * they appear in `listen` and `--receiver` flags: `file:///abs/path/or/glob?opt=value`,
 * `unix:///path/to.sock`, the bare word `journalctl` and
 * `kafka://BROKER[,BROKER]/[TOPIC[,TOPIC]]?opt=value` (no WHATWG URL: it has commas in the host). Query parameters are receiver
 * options (same names as in the config's `options`); strings are converted to the option's
 * declared kind here, so `?start=beginning&readRotated=true` is checked like config options.
 * Pure parsing.
 */

import { LogError } from "../../core/errors.ts";
import type { ReceiverConfig } from "./receiver.ts";

/** One parsed source address. */
export type SourceAddress =
  | { scheme: "file" | "unix"; path: string; params: URLSearchParams }
  | { scheme: "journalctl"; path: ""; params: URLSearchParams }
  | { scheme: "kafka"; path: ""; brokers: string[]; topics: string[]; params: URLSearchParams };

const KAFKA_RE = /^kafka:\/\/([^/?#]+)\/?([^?#]*)(?:\?([^#]*))?$/;
const BROKER_RE = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}$/;

/** Kinds of option values, for converting URL query strings. */
export type OptionKind = "int" | "bool" | "string";

/** Parses a source address; throws LogError("invalid_argument") quoting it. */
export function parseSourceUrl(receiver: string, url: string): SourceAddress {
  if (url === "journalctl") return { scheme: "journalctl", path: "", params: new URLSearchParams() };
  if (url.startsWith("kafka:")) return parseKafkaUrl(receiver, url);
  const m = /^(file|unix):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?$/.exec(url);
  if (!m || (m[2] !== "" && m[2] !== "localhost") || !m[3]!.startsWith("/") || m[3] === "/") {
    throw new LogError("invalid_argument", `receiver ${receiver}: ${JSON.stringify(url)} is not a source like file:///var/log/app/*.log, unix:///var/run/docker.sock or journalctl`);
  }
  let path: string;
  try {
    path = decodeURIComponent(m[3]!);
  } catch {
    throw new LogError("invalid_argument", `receiver ${receiver}: ${JSON.stringify(url)} has a bad %-escape`);
  }
  return { scheme: m[1] as "file" | "unix", path, params: new URLSearchParams(m[4] ?? "") };
}

function parseKafkaUrl(receiver: string, url: string): SourceAddress {
  const m = KAFKA_RE.exec(url);
  const brokers = m ? m[1]!.split(",") : [];
  if (!m || brokers.some((b) => !BROKER_RE.test(b))) {
    throw new LogError("invalid_argument", `receiver ${receiver}: ${JSON.stringify(url)} is not like kafka://HOST:PORT[,HOST:PORT]/TOPIC[,TOPIC]?group=G`);
  }
  let topics: string[];
  try {
    topics = m[2]!.split(",").map(decodeURIComponent).filter((t) => t !== "");
  } catch {
    throw new LogError("invalid_argument", `receiver ${receiver}: ${JSON.stringify(url)} has a bad %-escape`);
  }
  return { scheme: "kafka", path: "", brokers, topics, params: new URLSearchParams(m[3] ?? "") };
}

/**
 * The config with the query parameters of its `listen` URLs merged into `options` (converted
 * to `kinds`). The same option given twice with different values is an error; unknown names
 * are kept for the type's checkOptionKeys to reject.
 */
export function withUrlOptions(c: ReceiverConfig, addresses: readonly SourceAddress[], kinds: Readonly<Record<string, OptionKind>>): ReceiverConfig {
  const options: Record<string, unknown> = { ...c.options };
  const fromUrl = new Map<string, string>();
  for (const a of addresses) {
    for (const [k, raw] of a.params) {
      const prev = fromUrl.get(k);
      if (prev !== undefined && prev !== raw) throw new LogError("invalid_argument", `receiver ${c.id}: option ${k} is given twice (${JSON.stringify(prev)} and ${JSON.stringify(raw)})`);
      fromUrl.set(k, raw);
      options[k] = convert(c.id, k, raw, kinds[k]);
    }
  }
  return { ...c, options };
}

function convert(id: string, key: string, raw: string, kind: OptionKind | undefined): unknown {
  if (kind === "int") {
    const n = Number(raw);
    return raw.trim() !== "" && Number.isInteger(n) ? n : raw;
  }
  if (kind === "bool") {
    if (raw === "true" || raw === "1" || raw === "") return true;
    if (raw === "false" || raw === "0") return false;
    throw new LogError("invalid_argument", `receiver ${id}: option ${key} must be true or false, got ${JSON.stringify(raw)}`);
  }
  return raw;
}
