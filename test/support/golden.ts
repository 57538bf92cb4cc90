/**
 * Golden-file comparison for output people read (REPL transcripts, explain). A missing golden
 * file is a failure, never silently written: `UPDATE_GOLDEN=1 bun test ...` (re)writes the
 * files from the current output, to be reviewed in the diff before committing.
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";

/** True when this run rewrites golden files instead of comparing with them. */
export const UPDATING_GOLDEN = process.env.UPDATE_GOLDEN === "1";

/**
 * The expected text for `got` from golden file `file`: with UPDATE_GOLDEN=1 the file is first
 * rewritten with `got`. Throws, naming the command that creates it, when the file is missing.
 * Compare with `expect(got).toBe(golden(file, got))` (or inside a larger object).
 */
export function golden(file: string, got: string): string {
  if (UPDATING_GOLDEN) writeFileSync(file, got);
  if (!existsSync(file)) {
    throw new Error(`golden file ${relative(process.cwd(), file)} is missing: run the test with UPDATE_GOLDEN=1 to write it from the current output, then review it`);
  }
  return readFileSync(file, "utf8");
}
