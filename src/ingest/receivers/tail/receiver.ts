/**
 * File/Tail receiver: follows the files matched by `file:///glob` sources (`**` allowed)
 * through rotations and restarts (ingest/files/follower.ts), one record per line, or per
 * multi-line event with `multilineStart` (a line matching the regex starts a record; the
 * others are appended, e.g. stack traces). Attrs: receiver, file (the live path). sourceTs
 * from a timestamp at the start of the line. Options (config `options` or URL query): the
 * file options of file-options.ts (start defaults to "end"), encoding (auto = BOM sniffing,
 * utf-8, utf-16le, utf-16be), multilineStart, tzOffsetMinutes.
 */

import type { Checkpointer } from "../../checkpoint/checkpointer.ts";
import { RecordAssembler } from "../../files/assembler.ts";
import { PlainTextDecoder } from "../../files/decoder.ts";
import { compilePattern, type FilePattern } from "../../files/discovery.ts";
import type { FollowerOptions } from "../../files/follower.ts";
import type { Chain } from "../../files/stream.ts";
import { FILE_OPTIONS, fileSettings } from "../file-options.ts";
import { checkOptionKeys, enumOption, intOption, regexOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { FileReceiver } from "../file-receiver.ts";
import type { RunningSource } from "../source-receiver.ts";

const OPTIONS = { ...FILE_OPTIONS, encoding: "string", multilineStart: "string", tzOffsetMinutes: "int" } as const;
const ENCODINGS = ["auto", "utf-8", "utf-16le", "utf-16be"] as const;

export class TailReceiver extends FileReceiver {
  private readonly settings: Omit<FollowerOptions, "chain" | "accept">;
  private readonly multiline: RegExp | undefined;
  private readonly tzOffsetMinutes: number;

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx, { schemes: ["file"], expected: "file:///path/or/glob", options: OPTIONS });
    const c = this.config;
    checkOptionKeys(c, Object.keys(OPTIONS));
    const patterns: FilePattern[] = this.addresses.map((a) => compilePattern(a.path));
    this.settings = { ...fileSettings(c, "end"), patterns, encoding: enumOption(c, "encoding", ENCODINGS, "auto") };
    this.multiline = regexOption(c, "multilineStart");
    this.tzOffsetMinutes = intOption(c, "tzOffsetMinutes", 0, -1440, 1440);
  }

  protected override startSource(cp: Checkpointer): Promise<RunningSource> {
    return this.follow(cp, { ...this.settings, chain: (path) => this.chain(path) });
  }

  private chain(path: string): Chain {
    const assembler = new RecordAssembler(this.multiline, this.settings.maxLine);
    const ts = { year: new Date(this.clock() / 1000).getUTCFullYear(), tzOffsetMinutes: this.tzOffsetMinutes };
    const decoder = new PlainTextDecoder(assembler, Object.freeze({ receiver: this.id, file: path }), ts, this.counters);
    return { decoder, assembler };
  }
}

/** Registry entry. */
export function createTailReceiver(config: ReceiverConfig, ctx: ReceiverContext): TailReceiver {
  return new TailReceiver(config, ctx);
}
