/**
 * Options shared by the receivers that follow files (tail, docker with file://, kubernetes):
 * where a first run starts, rotated files, inotify and polling periods, the line limit and
 * text encoding. Read from the config's `options` or the source URL's query (same names).
 */

import { MAX_RAW_BYTES } from "../../core/limits.ts";
import type { FollowerOptions } from "../files/follower.ts";
import { boolOption, enumOption, intOption } from "./options.ts";
import type { ReceiverConfig } from "./receiver.ts";
import type { OptionKind } from "./source-url.ts";

/** Option names and kinds every file-following receiver accepts. */
export const FILE_OPTIONS: Readonly<Record<string, OptionKind>> = {
  start: "string",
  readRotated: "bool",
  watch: "bool",
  pollMs: "int",
  scanMs: "int",
  rotateWaitMs: "int",
  flushMs: "int",
  maxLineBytes: "int",
};

const STARTS = ["end", "beginning"] as const;

/** The follower settings of `c` (everything but patterns, chain and filter). */
export function fileSettings(c: ReceiverConfig, defaultStart: "end" | "beginning"): Omit<FollowerOptions, "patterns" | "chain" | "accept" | "encoding"> {
  return {
    start: enumOption(c, "start", STARTS, defaultStart),
    readRotated: boolOption(c, "readRotated", false),
    watch: boolOption(c, "watch", true),
    pollMs: intOption(c, "pollMs", 250, 10, 60_000),
    scanMs: intOption(c, "scanMs", 1000, 50, 600_000),
    rotateWaitMs: intOption(c, "rotateWaitMs", 5000, 0, 3_600_000),
    flushMs: intOption(c, "flushMs", 1000, 10, 600_000),
    maxLine: intOption(c, "maxLineBytes", MAX_RAW_BYTES, 64, MAX_RAW_BYTES),
  };
}
