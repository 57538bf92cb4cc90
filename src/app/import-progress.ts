/**
 * The import progress bar of `repl --embedded FILE...`: a @clack/prompts progress bar on
 * stderr over the bytes of all files, labelled with the import's own progress line.
 */

import { statSync } from "node:fs";
import { progress } from "@clack/prompts";
import type { ImportProgress } from "../ingest/import/import-files.ts";
import { renderProgress } from "../ingest/import/render.ts";

/** Bar resolution. */
const STEPS = 1000;

export interface ImportBar {
  update(p: ImportProgress): void;
  done(message: string): void;
  fail(message: string): void;
}

function size(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function importProgress(files: readonly string[]): ImportBar {
  const sizes = files.map(size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const bar = progress({ output: process.stderr, max: STEPS, size: 30 });
  let at = 0;
  bar.start(`importing ${files.length} file(s)`);
  return {
    update(p) {
      const before = sizes.slice(0, p.fileIndex).reduce((a, b) => a + b, 0);
      const step = total > 0 ? Math.floor(((before + p.bytesRead) / total) * STEPS) : 0;
      bar.advance(Math.max(0, step - at), renderProgress(p).replace(/\s+\d+%\s+\|[^|]*\|/, ""));
      at = Math.max(at, step);
    },
    done: (m) => bar.stop(m),
    fail: (m) => bar.error(m),
  };
}
