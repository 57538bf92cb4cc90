/**
 * Entry point of the seal worker (a Bun Worker; an extra entry of `bun build --compile`):
 * runs one seal job per message with the section builders of section-builders.ts — a whole
 * seal, or one half of a split seal (the writer, or the helper building the sections
 * `builtBySealHelper` names) — and replies with the segment summary or the error as data.
 * Owns no state between jobs.
 */

import { handleSealRequest, type SealRequest } from "../storage/file/seal-job.ts";
import { startupDone } from "./cli/jit.ts";
import { builtBySealHelper, sectionBuilders } from "./section-builders.ts";

declare const self: Worker;

// Sealing is all hot loops (compression, index builds): the normal JIT from the start.
startupDone();

self.onmessage = (e: MessageEvent<SealRequest>) => {
  self.postMessage(handleSealRequest(e.data, sectionBuilders, builtBySealHelper));
  // Release the seal's garbage now: the heap would otherwise grow with each chunk sealed.
  Bun.gc(true);
};
