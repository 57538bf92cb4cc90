/**
 * One `gastrolog import` run's bookkeeping: the checkpoint rewritten after every acknowledged
 * append, the check that skips lines an interrupted run stored unacknowledged, and the
 * messages saying where the import stands and how to resume it.
 */

import type { ImportPosition } from "../ingest/import/import-files.ts";
import type { RecordRef } from "../core/record.ts";
import { writeCheckpoint, writeCheckpointAsync, type ImportCheckpoint } from "./import-checkpoint.ts";
import type { ImportTarget } from "./import-target.ts";

/** The state of one import run, kept in its checkpoint after every acknowledged append. */
export class ImportRun {
  /** Records appended by this import over all its runs. */
  stored: number;
  private position: ImportPosition;
  private after: RecordRef | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly store: string,
    private readonly target: ImportTarget,
    private readonly prior: ImportCheckpoint | undefined,
    readonly files: string[],
  ) {
    this.stored = prior?.records ?? 0;
    this.position = prior?.position ?? { file: 0, line: 0, byte: 0, sourceTs: 0 };
    this.after = prior ? prior.after : target.lastRecord?.();
    this.save("running");
  }

  /**
   * Records an acknowledged append; resolves once the checkpoint says so. The importer issues
   * its next append only then (so the store holds at most one batch past the checkpoint), but
   * reads and splits the next lines meanwhile: the write runs off the event loop.
   */
  committed(position: ImportPosition, last: RecordRef, records: number): Promise<void> {
    this.position = position;
    this.after = last;
    this.stored = (this.prior?.records ?? 0) + records;
    return writeCheckpointAsync(this.dataDir, this.fields("running"));
  }

  ended(state: "stopped" | "failed" | "finished", position = this.position): void {
    this.position = position;
    this.save(state);
  }

  /**
   * On the store files, records stored after the last acknowledged one that equal the next
   * input lines were stored by the interrupted run unacknowledged: they are not appended again.
   */
  skipWhile(): ((r: { raw: Uint8Array }) => boolean) | undefined {
    if (!this.prior || !this.target.recordsAfter) return undefined;
    const stored = this.target.recordsAfter(this.prior.after);
    return (r) => {
      try {
        const next = stored.next();
        return !next.done && Buffer.compare(next.value, r.raw) === 0;
      } catch {
        return false; // unreadable (corrupt) data after the checkpoint: import from the acknowledged point
      }
    };
  }

  resumeNote(): string {
    const p = this.prior!;
    const unsure = p.state !== "stopped" && this.target.via === "server";
    return (
      `gastrolog import: resuming ${this.fileName(p.position.file)} after line ${p.position.line} (byte ${p.position.byte}); ${p.records} records stored before\n` +
      (unsure ? "gastrolog import: warning: the last run did not stop cleanly and a server's store cannot be checked: up to one batch after that line may be stored twice\n" : "")
    );
  }

  /** Where the import stands and how to continue. */
  standing(): string {
    const p = this.position;
    const where = `${this.stored} records stored; stored through line ${p.line} of ${this.fileName(p.file)} (byte ${p.byte})\n`;
    if (this.files[p.file] === "-") {
      return where + `standard input cannot be resumed: feed it again from line ${p.line + 1} (e.g. tail -n +${p.line + 1} FILE | gastrolog import --data ${this.dataDir} --store ${this.store} -)`;
    }
    return where + `resume with: gastrolog import --data ${this.dataDir} --store ${this.store} --resume`;
  }

  private fileName(i: number): string {
    return this.files[i] === "-" ? "standard input" : (this.files[i] ?? "?");
  }

  private save(state: ImportCheckpoint["state"]): void {
    writeCheckpoint(this.dataDir, this.fields(state));
  }

  private fields(state: ImportCheckpoint["state"]): Omit<ImportCheckpoint, "version" | "updatedAt"> {
    return { store: this.store, files: this.files, position: this.position, after: this.after, records: this.stored, state, via: this.target.via };
  }
}
