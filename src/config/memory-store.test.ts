/** The ConfigStore conformance suite against the in-memory implementation. */

import { configStoreConformance } from "./conformance.suite.ts";
import { MemoryConfigStore } from "./memory-store.ts";

configStoreConformance("memory", { open: (o) => new MemoryConfigStore(o), cleanup: () => {} });
