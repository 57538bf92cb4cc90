/** Runs the shared ChunkStore conformance suite against the memory store. */

import { chunkStoreConformance } from "../conformance.suite.ts";
import { createMemoryStore } from "./memory-store.ts";

chunkStoreConformance("memory", async () => ({
  open: async (o) => createMemoryStore("mem", o),
  cleanup: async () => {},
}), false);
