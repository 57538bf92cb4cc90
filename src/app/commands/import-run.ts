/**
 * `gastrolog import` at work (the command and its flags: import.ts): picks the target
 * (import-target.ts), keeps the checkpoint (import-standing.ts), stops on SIGINT/SIGTERM.
 */

import { resolve } from "node:path";
import { DEFAULT_STORE_BATCH } from "../../ingest/import/defaults.ts";
import { importFiles, type ImportSummary } from "../../ingest/import/import-files.ts";
import { renderProgress, renderSummary } from "../../ingest/import/render.ts";
import { LogError } from "../../core/errors.ts";
import { systemClock } from "../../core/time.ts";
import { intFlag, stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { clientCredentials } from "../cli/credentials.ts";
import { interruptions, SIGNAL_EXIT } from "../cli/signals.ts";
import { checkpointPath, readCheckpoint } from "../import-checkpoint.ts";
import { ImportRun } from "../import-standing.ts";
import { importTarget } from "../import-target.ts";
import { defaultDataDir } from "../paths.ts";

export const run: Command["run"] = async (args, io) => {
  const resume = args.flags.resume === true;
  if (resume && args.positionals.length > 0) throw new UsageError("--resume takes no FILE: it continues the files of the interrupted import");
  if (!resume && args.positionals.length === 0) throw new UsageError("no FILE given (use '-' for standard input)");
  const dataDir = stringFlag(args, "data") ?? defaultDataDir(io.env);
  const store = stringFlag(args, "store", "default")!;
  const storeBatch = intFlag(args, "batch", DEFAULT_STORE_BATCH);
  if (storeBatch < 1) throw new UsageError("flag --batch needs a positive integer");
  const year = args.flags.year === undefined ? undefined : intFlag(args, "year", 0);
  const prior = resume ? readCheckpoint(dataDir, store) : undefined;
  if (resume && !prior) throw new LogError("not_found", `no import to resume for store '${store}' in ${dataDir} (no ${checkpointPath(dataDir, store)})`);
  if (prior?.state === "finished") {
    io.stdout(`nothing to resume: the import of ${prior.files.join(", ")} into store '${store}' finished (${prior.records} records)\n`);
    return 0;
  }
  using stop = interruptions();
  stop.signal.addEventListener("abort", () => io.stderr(`gastrolog import: ${stop.received} received: storing what was read, then stopping (send it again to exit at once)\n`));
  const target = await importTarget(dataDir, store, clientCredentials(args, io.env));
  const run = new ImportRun(dataDir, store, target, prior, resume ? prior!.files : args.positionals.map((f) => (f === "-" ? f : resolve(f))));
  const work = (async () => {
    if (resume) io.stderr(run.resumeNote());
    const progress = args.flags.quiet !== true && io.isTTY;
    const summary = await importFiles(target.sink, run.files, {
      storeBatch,
      clock: systemClock,
      year,
      onProgress: progress ? (p) => io.stderr(`\r\x1b[2K${renderProgress(p)}`) : undefined,
      seal: args.flags["keep-active"] !== true,
      from: prior?.position,
      skipWhile: run.skipWhile(),
      signal: stop.signal,
      onCommit: (c) => run.committed(c.position, c.last, c.records),
    });
    if (progress) io.stderr("\r\x1b[2K");
    return summary;
  })();
  let summary: ImportSummary;
  try {
    const r = await Promise.race([work, stop.forced]);
    if (typeof r === "string") {
      io.stderr(`gastrolog import: second ${r}: exiting now; ${run.standing()}\n`);
      return SIGNAL_EXIT[r];
    }
    summary = r;
  } catch (err) {
    run.ended("failed");
    await target.close();
    if (run.stored > 0) io.stderr(`gastrolog import: ${run.standing()}\n`);
    throw err;
  }
  run.ended(summary.stopped ? "stopped" : "finished", summary.position);
  if (args.flags.quiet !== true) {
    const chunks = target.chunkCount ? `${target.chunkCount()} chunks in ${dataDir}` : `via ${target.where}`;
    io.stdout(`${renderSummary(summary)}\n${"store".padEnd(12)}${store}: ${chunks}\n`);
  }
  await target.close();
  if (!summary.stopped) return 0;
  io.stderr(`gastrolog import: stopped by ${stop.received}; ${run.standing()}\n`);
  return SIGNAL_EXIT[stop.received!];
};
