/**
 * `repl --embedded` in memory: FILEs that cannot be read in place (.gz, .zst, stdin) or
 * --index imported into a memory store, or with no FILE the chatterbox demo filling one.
 */

import type { HostStore } from "../api/host.ts";
import { LocalHost } from "../api/local-host.ts";
import { createInProcessTransport } from "../api/in-process-transport.ts";
import { createMemoryStore } from "../storage/memory/memory-store.ts";
import { versionInfo } from "./build-info.ts";
import { startDemo, DEMO_ROTATION, type Demo } from "./embedded-demo.ts";
import type { EmbeddedEngine, EmbeddedOptions } from "./embedded.ts";
import { importInto, summaryLine } from "./embedded-import.ts";
import { sectionBuilders } from "./section-builders.ts";
import { searchSource } from "./search-source.ts";

/** Memory chunks seal (and get indexed) at this size, as file stores do. */
const MEMORY_ROTATION = { maxBytes: 64 << 20 };

/** `follow` on FILEs imported at start: it cannot show lines written to them later. */
function importedAtStart(files: readonly string[]): string {
  const one = files.length === 1;
  return `${files.join(", ")} ${one ? "was" : "were"} imported when the REPL started: lines written to ${one ? "it" : "them"} since are not shown (plain files without --index are read in place and followed as they grow)`;
}

/** Opens the memory store of `o`: FILEs imported (indexed with --index), or the demo. */
export async function openMemory(o: EmbeddedOptions): Promise<EmbeddedEngine> {
  const demo = o.files.length === 0;
  const store = createMemoryStore("default", { rotation: demo ? DEMO_ROTATION : MEMORY_ROTATION, sectionBuilders: demo || o.index ? sectionBuilders : undefined });
  const hs: HostStore = {
    name: "default",
    source: searchSource("default", store),
    settings: {
      kind: "memory",
      dir: "",
      rotation: { maxBytes: 0, maxRecords: 0, maxAgeMicros: 0, ...(demo ? DEMO_ROTATION : MEMORY_ROTATION) },
      durability: { kind: "never" },
      route: "",
      ...(demo ? {} : { followNote: importedAtStart(o.files) }),
    },
  };
  const receivers: Demo[] = [];
  const host = new LocalHost({ stores: [hs], version: versionInfo(), receivers: () => receivers.map((r) => r.view()) });
  const banner: string[] = [];
  if (demo) {
    const d = await startDemo(host, store);
    receivers.push(d);
    banner.push(`embedded demo: ${d.backlog} chatterbox records from the last hour in memory, more arriving (try 'follow')`);
  } else {
    banner.push(`embedded, in memory${o.index ? ", indexed" : " (not indexed: --index builds indexes)"}: ${summaryLine(await importInto(store, o, false), "store 'default'")}`);
  }
  host.markReady();
  return {
    transport: createInProcessTransport(host),
    banner,
    async close() {
      host.beginDrain();
      await Promise.all(receivers.map((r) => r.stop()));
      await host.appendsSettled();
      await store.close();
      host.markStopped();
    },
  };
}
