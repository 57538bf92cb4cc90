/**
 * StoreEvent fan-out for ChunkStore.subscribe. A throwing listener is reported through the
 * logger and never breaks the store or the other listeners.
 */

import { errorMessage } from "../core/errors.ts";
import type { StoreLogger } from "./options.ts";
import type { StoreEvent } from "./types.ts";

/** Listener set with error isolation. */
export class StoreEvents {
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(private readonly logger: StoreLogger) {}

  subscribe(listener: (e: StoreEvent) => void): () => void {
    const wrapped = (e: StoreEvent) => listener(e);
    this.listeners.add(wrapped);
    return () => {
      this.listeners.delete(wrapped);
    };
  }

  emit(e: StoreEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.logger("warn", `store event listener failed on ${e.kind} ${e.chunk}: ${errorMessage(err)}`);
      }
    }
  }
}
