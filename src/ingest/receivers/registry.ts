/**
 * The receiver types by name, one line each; `createReceiver` builds one from its config.
 * Adding a protocol = one folder plus one line here.
 */

import { LogError } from "../../core/errors.ts";
import { createBeatsReceiver } from "./beats/receiver.ts";
import { createDockerReceiver } from "./docker/receiver.ts";
import { createFluentReceiver } from "./fluent/receiver.ts";
import { createGelfReceiver } from "./gelf/receiver.ts";
import { createHttpReceiver } from "./http/receiver.ts";
import { createJournaldReceiver } from "./journald/receiver.ts";
import { createKubernetesReceiver } from "./kubernetes/receiver.ts";
import type { Receiver, ReceiverConfig, ReceiverContext, ReceiverFactory } from "./receiver.ts";
import { createRelpReceiver } from "./relp/receiver.ts";
import { createSyslogReceiver } from "./syslog/receiver.ts";
import { createTailReceiver } from "./tail/receiver.ts";

/** Receiver factories by config `type`. */
export const RECEIVER_TYPES: Readonly<Record<string, ReceiverFactory>> = {
  syslog: createSyslogReceiver,
  relp: createRelpReceiver,
  gelf: createGelfReceiver,
  http: createHttpReceiver,
  fluent: createFluentReceiver,
  beats: createBeatsReceiver,
  tail: createTailReceiver,
  docker: createDockerReceiver,
  kubernetes: createKubernetesReceiver,
  journald: createJournaldReceiver,
};

/** Builds a receiver; throws LogError("invalid_argument") for an unknown type or bad config. */
export function createReceiver(config: ReceiverConfig, ctx: ReceiverContext): Receiver {
  const factory = Object.hasOwn(RECEIVER_TYPES, config.type) ? RECEIVER_TYPES[config.type] : undefined;
  if (!factory) {
    throw new LogError("invalid_argument", `receiver ${config.id}: unknown type ${JSON.stringify(config.type)}; known: ${Object.keys(RECEIVER_TYPES).join(", ")}`);
  }
  return factory(config, ctx);
}
