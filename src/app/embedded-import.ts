/**
 * Imports the FILEs of `repl --embedded` into a store (memory, or a --data file store) with a
 * progress bar on a terminal, and the banner line that reports it.
 */

import { systemClock } from "../core/time.ts";
import { DEFAULT_STORE_BATCH } from "../ingest/import/defaults.ts";
import { importFiles, type ImportSummary } from "../ingest/import/import-files.ts";
import { compactCount } from "../ingest/import/render.ts";
import type { ChunkStore } from "../storage/types.ts";
import type { EmbeddedOptions } from "./embedded.ts";
import { importProgress } from "./import-progress.ts";

/** Imports `o.files` into `store` (sealing the last chunk when `seal`); Ctrl-C (o.signal) stops it. */
export async function importInto(store: ChunkStore, o: EmbeddedOptions, seal: boolean): Promise<ImportSummary> {
  const bar = o.progress ? importProgress(o.files) : undefined;
  try {
    const summary = await importFiles(store, o.files, {
      storeBatch: DEFAULT_STORE_BATCH,
      clock: systemClock,
      seal,
      onProgress: (p) => {
        o.signal.throwIfAborted();
        bar?.update(p);
      },
    });
    bar?.done(`Imported ${compactCount(summary.records)} lines (${(summary.inputBytes / 1e6).toFixed(1)} MB) in ${summary.seconds.toFixed(2)}s`);
    return summary;
  } catch (err) {
    bar?.fail("Import stopped");
    throw err;
  }
}

/** The banner line for an import into `where`. */
export function summaryLine(s: ImportSummary, where: string): string {
  return `${s.records} records from ${s.files} file(s) (${(s.inputBytes / 1e6).toFixed(1)} MB) in ${where}, imported in ${s.seconds.toFixed(2)}s`;
}
