/**
 * The receiver types by name, one line each, loaded lazily; `createReceiver` builds one from
 * its config. Adding a protocol = one folder plus one line here.
 */

import { LogError } from "../../core/errors.ts";
import type { Receiver, ReceiverConfig, ReceiverContext, ReceiverFactory } from "./receiver.ts";

/**
 * Receiver factories by config `type`, each loaded on first use: a protocol's module (and what
 * it imports: TLS, HTTP, protobuf, msgpack...) is evaluated only once a receiver of that type
 * is configured, validated or built, so a server without it never pays for it.
 */
export const RECEIVER_TYPES: Readonly<Record<string, () => ReceiverFactory>> = {
  syslog: () => (require("./syslog/receiver.ts") as typeof import("./syslog/receiver.ts")).createSyslogReceiver,
  relp: () => (require("./relp/receiver.ts") as typeof import("./relp/receiver.ts")).createRelpReceiver,
  gelf: () => (require("./gelf/receiver.ts") as typeof import("./gelf/receiver.ts")).createGelfReceiver,
  http: () => (require("./http/receiver.ts") as typeof import("./http/receiver.ts")).createHttpReceiver,
  fluent: () => (require("./fluent/receiver.ts") as typeof import("./fluent/receiver.ts")).createFluentReceiver,
  beats: () => (require("./beats/receiver.ts") as typeof import("./beats/receiver.ts")).createBeatsReceiver,
  otlp: () => (require("./otlp/receiver.ts") as typeof import("./otlp/receiver.ts")).createOtlpReceiver,
  tail: () => (require("./tail/receiver.ts") as typeof import("./tail/receiver.ts")).createTailReceiver,
  docker: () => (require("./docker/receiver.ts") as typeof import("./docker/receiver.ts")).createDockerReceiver,
  kubernetes: () => (require("./kubernetes/receiver.ts") as typeof import("./kubernetes/receiver.ts")).createKubernetesReceiver,
  journald: () => (require("./journald/receiver.ts") as typeof import("./journald/receiver.ts")).createJournaldReceiver,
  kafka: () => (require("./kafka/receiver.ts") as typeof import("./kafka/receiver.ts")).createKafkaReceiver,
};

/** Builds a receiver; throws LogError("invalid_argument") for an unknown type or bad config. */
export function createReceiver(config: ReceiverConfig, ctx: ReceiverContext): Receiver {
  const load = Object.hasOwn(RECEIVER_TYPES, config.type) ? RECEIVER_TYPES[config.type] : undefined;
  if (!load) {
    throw new LogError("invalid_argument", `receiver ${config.id}: unknown type ${JSON.stringify(config.type)}; known: ${Object.keys(RECEIVER_TYPES).join(", ")}`);
  }
  return load()(config, ctx);
}
