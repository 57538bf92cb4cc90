/**
 * One seal: read an active chunk's files (committed records only) and write its sealed
 * segment via segment/writer.ts. Runs on the main thread (InlineSealer) or inside the seal
 * worker (serveSealJobs); plain data in, plain data out, so jobs cross the worker boundary.
 */

import { closeSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { CorruptError, errorMessage, LogError, type ErrorCode } from "../../core/errors.ts";
import { writeSegment, type SegmentSummary, type SegmentWriteOptions } from "../segment/writer.ts";
import type { SectionBuilderFactory } from "../types.ts";
import { ActiveData, BatchBuffers } from "./active-data.ts";
import { EntryColumns } from "./entry-columns.ts";
import { decodeHeader, ENTRIES_FILE, ENTRY_BYTES, HEADER_BYTES } from "./format.ts";

/** Everything a sealer needs; plain data so it can be posted to a worker. */
export interface SealJob {
  chunkId: string;
  createdAt: number;
  /** The active chunk directory to read. */
  activeDir: string;
  /** Final segment path; the writer goes through `<path>.tmp` and a rename. */
  segmentPath: string;
  /** Committed records to seal; the entries file may hold more only after a failed commit. */
  records: number;
  segment: SegmentWriteOptions;
}

/** Worker request and reply messages. */
export interface SealRequest {
  id: number;
  job: SealJob;
}
/** A worker's answer to one SealRequest. */
export type SealReply = { id: number; ok: true; summary: SegmentSummary } | { id: number; ok: false; code: ErrorCode; message: string };

/** Seals synchronously; throws LogError/CorruptError on bad input or I/O failure. */
export function runSealJob(job: SealJob, builders: SectionBuilderFactory): SegmentSummary {
  const entries = readEntries(join(job.activeDir, ENTRIES_FILE), job.records);
  const data = new ActiveData(job.activeDir, () => entries);
  try {
    const summary = writeSegment(job.segmentPath, { chunkId: job.chunkId, createdAt: job.createdAt }, data.batches(0, job.records, new BatchBuffers()), job.segment, builders());
    if (summary.records !== job.records) {
      throw new LogError("internal", `sealed ${summary.records} records of chunk ${job.chunkId}, expected ${job.records}`);
    }
    return summary;
  } finally {
    data.close();
  }
}

function readEntries(path: string, records: number): EntryColumns {
  const fd = openSync(path, "r");
  try {
    const buf = new Uint8Array(HEADER_BYTES + records * ENTRY_BYTES);
    let done = 0;
    while (done < buf.length) {
      const n = readSync(fd, buf, done, buf.length - done, done);
      if (n === 0) throw new CorruptError(path, done, `entries file ends before the ${records} committed entries`);
      done += n;
    }
    decodeHeader(path, buf, "entries");
    return EntryColumns.view(buf.subarray(HEADER_BYTES));
  } finally {
    closeSync(fd);
  }
}

/** Message handler for a seal worker: one reply per request, errors as data. */
export function handleSealRequest(req: SealRequest, builders: SectionBuilderFactory): SealReply {
  try {
    return { id: req.id, ok: true, summary: runSealJob(req.job, builders) };
  } catch (err) {
    return { id: req.id, ok: false, code: err instanceof LogError ? err.code : "internal", message: errorMessage(err) };
  }
}
