/**
 * Test helpers for the API: a LocalHost over memory stores and typed clients over the
 * in-process transport. Used by src/api tests only.
 */

import { createClient, type Client } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import { createMemoryStore } from "../storage/memory/memory-store.ts";
import type { RotationPolicy } from "../storage/types.ts";
import type { HostStore } from "./host.ts";
import { LocalHost } from "./local-host.ts";
import { createInProcessTransport } from "./in-process-transport.ts";

/** A ready LocalHost with one memory store per name (no indexes). */
export function memoryHost(names: string[], rotation: Partial<RotationPolicy> = {}): LocalHost {
  const stores: HostStore[] = names.map((name) => {
    const store = createMemoryStore(name, { rotation });
    return {
      name,
      source: { name, store, indexes: () => undefined },
      settings: { kind: "memory", dir: "", rotation: { maxBytes: 0, maxRecords: 0, maxAgeMicros: 0, ...rotation }, durability: { kind: "batch" }, route: "" },
    };
  });
  const host = new LocalHost({ stores, version: { version: "0.0.0-test", commit: "test", runtime: `bun ${Bun.version}` } });
  host.markReady();
  return host;
}

/** A client of `service` talking to `host` in-process. */
export function clientFor<S extends DescService>(service: S, host: LocalHost): Client<S> {
  return createClient(service, createInProcessTransport(host));
}
