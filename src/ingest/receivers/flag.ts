/**
 * `gastrolog serve --receiver TYPE=URL[,URL...]` parsing: one flag value becomes one
 * ReceiverConfig with a generated id — `TYPE-SCHEME-PORT` for network listeners,
 * `TYPE-SCHEME-HASH` for sources (file://, unix://, journalctl, kafka://), where HASH (8 hex digits
 * of the flag's URLs) keeps the id, and so the saved read positions, the same across restarts.
 * Pure; the serve command wires it.
 */

import { LogError } from "../../core/errors.ts";
import { parseListenUrl } from "./listen-url.ts";
import type { ReceiverConfig } from "./receiver.ts";

/**
 * Parses `syslog=udp://127.0.0.1:5514` (several URLs may be joined with commas). Throws
 * LogError("invalid_argument") quoting the flag on a missing `=`, an empty type or a bad URL.
 * Type names are checked later by createReceiver.
 */
export function parseReceiverFlag(value: string): ReceiverConfig {
  const eq = value.indexOf("=");
  const type = eq < 0 ? "" : value.slice(0, eq).trim();
  if (eq < 0 || !/^[a-z][a-z0-9_-]*$/.test(type)) {
    throw new LogError("invalid_argument", `--receiver ${JSON.stringify(value)}: expected TYPE=URL, e.g. syslog=udp://127.0.0.1:5514`);
  }
  const rest = value.slice(eq + 1).trim();
  // A Kafka URL lists brokers and topics with commas: it is one URL.
  const listen = (rest.startsWith("kafka:") ? [rest] : rest.split(","))
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (listen.length === 0) throw new LogError("invalid_argument", `--receiver ${JSON.stringify(value)}: missing URL after '='`);
  const url = listen[0]!;
  if (url === "journalctl" || /^(file|unix|kafka):/.test(url)) {
    const scheme = url === "journalctl" ? url : url.slice(0, url.indexOf(":"));
    const hash = Bun.hash.crc32(listen.join(",")).toString(16).padStart(8, "0");
    return { type, id: `${type}-${scheme}-${hash}`, listen };
  }
  const first = parseListenUrl(url);
  const scheme = url.slice(0, url.indexOf(":"));
  return { type, id: `${type}-${scheme}-${first.port}`, listen };
}
