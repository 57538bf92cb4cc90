/**
 * One seal: read an active chunk's files (committed records only) and write its sealed
 * segment via segment/writer.ts. Runs on the main thread (InlineSealer) or inside the seal
 * worker (serveSealJobs); plain data in, plain data out, so jobs cross the worker boundary.
 * A job with `split` is one half of a split seal (seal-split.ts): the writer, or with role
 * "helper" the thread building the sections that `helperBuilds` names.
 */

import { join } from "node:path";
import { errorMessage, LogError, type ErrorCode } from "../../core/errors.ts";
import { writeSegment, type SegmentSummary, type SegmentWriteOptions } from "../segment/writer.ts";
import type { SectionBuilderFactory } from "../types.ts";
import { ActiveData, BatchBuffers } from "./active-data.ts";
import { EntryWindow } from "./entry-columns.ts";
import { ENTRIES_FILE } from "./format.ts";
import { failSealSplit, HelperSections, runSealHelper, type SealSplit } from "./seal-split.ts";
import { GcPacer } from "../../core/gc-pacer.ts";

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
  /** Set when another thread builds some of the sections (a split seal). */
  split?: SealSplit;
}

/** Worker request and reply messages. */
export interface SealRequest {
  id: number;
  job: SealJob;
  /** "helper": build the split seal's helper sections only (job.split is set). */
  role?: "writer" | "helper";
}

/** Which sections (by builder name) the helper of a split seal builds. */
export type HelperBuilds = (section: string) => boolean;
/** A worker's answer to one SealRequest: a writer's reply carries the segment summary; a helper's none. */
export type SealReply = { id: number; ok: true; summary?: SegmentSummary } | { id: number; ok: false; code: ErrorCode; message: string };

/**
 * Seals synchronously; throws LogError/CorruptError on bad input or I/O failure. With
 * `job.split`, the sections `helperBuilds` names come from the helper thread.
 */
export function runSealJob(job: SealJob, builders: SectionBuilderFactory, helperBuilds: HelperBuilds = () => false): SegmentSummary {
  const helper = job.split && new HelperSections(job.split, job.segmentPath);
  try {
    const data = new ActiveData(job.activeDir, new EntryWindow(join(job.activeDir, ENTRIES_FILE), job.records));
    try {
      const mine = helper ? builders().map((b) => (helperBuilds(b.name) ? helper.placeholder(b.name) : b)) : builders();
      const summary = writeSegment(job.segmentPath, { chunkId: job.chunkId, createdAt: job.createdAt }, data.batches(0, job.records, new BatchBuffers()), job.segment, mine);
      if (summary.records !== job.records) {
        throw new LogError("internal", `sealed ${summary.records} records of chunk ${job.chunkId}, expected ${job.records}`);
      }
      return summary;
    } finally {
      data.close();
    }
  } finally {
    helper?.discard();
  }
}

/** The helper half of split seal `job`: builds the sections `helperBuilds` names (seal-split.ts). */
function runHelperJob(job: SealJob, split: SealSplit, builders: SectionBuilderFactory, helperBuilds: HelperBuilds): void {
  const data = new ActiveData(job.activeDir, new EntryWindow(join(job.activeDir, ENTRIES_FILE), job.records));
  try {
    const mine = builders().filter((b) => helperBuilds(b.name));
    const buffers = new BatchBuffers();
    runSealHelper(split, job.segmentPath, () => data.batches(0, job.records, buffers), mine, new GcPacer());
  } finally {
    data.close();
  }
}

/** Runs the helper job; whatever fails, the writer waiting on `split` learns it. */
function runHelperJobOrFail(job: SealJob, split: SealSplit, builders: SectionBuilderFactory, helperBuilds: HelperBuilds): void {
  try {
    runHelperJob(job, split, builders, helperBuilds);
  } catch (err) {
    failSealSplit(split);
    throw err;
  }
}

/**
 * Message handler for a seal worker: one reply per request, errors as data. A helper request
 * replies with an empty summary (the writer's reply carries the seal's).
 */
export function handleSealRequest(req: SealRequest, builders: SectionBuilderFactory, helperBuilds: HelperBuilds = () => false): SealReply {
  try {
    const { job } = req;
    if (req.role === "helper") {
      if (!job.split) throw new LogError("internal", `seal helper request ${req.id} without a split`);
      runHelperJobOrFail(job, job.split, builders, helperBuilds);
      return { id: req.id, ok: true };
    }
    return { id: req.id, ok: true, summary: runSealJob(job, builders, helperBuilds) };
  } catch (err) {
    return { id: req.id, ok: false, code: err instanceof LogError ? err.code : "internal", message: errorMessage(err) };
  }
}
