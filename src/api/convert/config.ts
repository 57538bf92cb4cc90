/** Config versions, diffs and retention results <-> proto messages (values as JSON text). */

import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";
import type { DiffEntry } from "../../config/diff.ts";
import type { ChangeResult } from "../../config/assign.ts";
import type { VersionInfo } from "../../config/store.ts";
import type { SweepResult } from "../../storage/retention/runner.ts";
import type {
  ConfigChangeSchema,
  ConfigDiffEntry,
  ConfigDiffEntrySchema,
  ConfigVersionInfo,
  ConfigVersionInfoSchema,
  SweepRetentionResponseSchema,
} from "../gen/gastrolog/v1/config_pb.ts";
import { i64 } from "./int64.ts";

type Init<T extends DescMessage> = MessageInitShape<T>;

export function toDiffPb(e: DiffEntry): Init<typeof ConfigDiffEntrySchema> {
  switch (e.op) {
    case "added":
    case "removed":
      return { op: e.op, path: e.path, valueJson: JSON.stringify(e.value) };
    case "changed":
      return { op: e.op, path: e.path, fromJson: JSON.stringify(e.from), toJson: JSON.stringify(e.to) };
  }
}

export function toVersionInfoPb(v: VersionInfo): Init<typeof ConfigVersionInfoSchema> {
  const info: Init<typeof ConfigVersionInfoSchema> = { version: BigInt(v.version), atUs: i64(v.at), author: v.author, reason: v.reason, kind: v.kind, diff: v.diff.map(toDiffPb) };
  if (v.rollbackOf !== undefined) info.rollbackOf = BigInt(v.rollbackOf);
  return info;
}

/** A write's outcome: the diff is reported only when the write created the version. */
export function toChangePb(r: ChangeResult, applyError: string): Init<typeof ConfigChangeSchema> {
  const info = toVersionInfoPb(r.version);
  return { changed: r.changed, version: r.changed ? info : { ...info, diff: [] }, applyError };
}

export function toSweepPb(r: SweepResult): Init<typeof SweepRetentionResponseSchema> {
  return {
    stores: r.stores,
    deleted: r.deleted.map((d) => ({ store: d.store, chunk: d.id, reason: d.reason, storedBytes: BigInt(d.storedBytes) })),
    errors: r.errors.map((e) => ({ store: e.store, chunk: e.id, message: e.message })),
  };
}

/** A proto diff entry back to the domain shape (client side: CLI over the API). */
export function fromDiffPb(e: ConfigDiffEntry): DiffEntry {
  const parse = (t: string): unknown => (t === "" ? undefined : JSON.parse(t));
  if (e.op === "changed") return { op: "changed", path: e.path, from: parse(e.fromJson), to: parse(e.toJson) };
  return { op: e.op === "removed" ? "removed" : "added", path: e.path, value: parse(e.valueJson) };
}

/** A proto version header back to the domain shape. */
export function fromVersionInfoPb(v: ConfigVersionInfo | undefined): VersionInfo {
  const info: VersionInfo = {
    version: Number(v?.version ?? 0n),
    at: Number(v?.atUs ?? 0n),
    author: v?.author ?? "",
    reason: v?.reason ?? "",
    kind: v?.kind === "rollback" ? "rollback" : "apply",
    diff: (v?.diff ?? []).map(fromDiffPb),
  };
  if (v?.rollbackOf !== undefined) info.rollbackOf = Number(v.rollbackOf);
  return info;
}
