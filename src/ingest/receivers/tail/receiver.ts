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
import type { SourceRow } from "../../checkpoint/positions.ts";
import { RecordAssembler } from "../../files/assembler.ts";
import { PlainTextDecoder } from "../../files/decoder.ts";
import { compilePattern, type FilePattern } from "../../files/discovery.ts";
import { FileFollower, type FollowerOptions } from "../../files/follower.ts";
import type { Chain } from "../../files/stream.ts";
import { FILE_OPTIONS, fileSettings } from "../file-options.ts";
import { checkOptionKeys, enumOption, intOption, regexOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { SourceReceiver, type RunningSource } from "../source-receiver.ts";

const OPTIONS = { ...FILE_OPTIONS, encoding: "string", multilineStart: "string", tzOffsetMinutes: "int" } as const;
const ENCODINGS = ["auto", "utf-8", "utf-16le", "utf-16be"] as const;

export class TailReceiver extends SourceReceiver {
  private readonly settings: Omit<FollowerOptions, "chain" | "accept">;
  private readonly multiline: RegExp | undefined;
  private readonly tzOffsetMinutes: number;
  private follower: FileFollower | undefined;

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx, { schemes: ["file"], expected: "file:///path/or/glob", options: OPTIONS });
    const c = this.config;
    checkOptionKeys(c, Object.keys(OPTIONS));
    const patterns: FilePattern[] = this.addresses.map((a) => compilePattern(a.path));
    this.settings = { ...fileSettings(c, "end"), patterns, encoding: enumOption(c, "encoding", ENCODINGS, "auto") };
    this.multiline = regexOption(c, "multilineStart");
    this.tzOffsetMinutes = intOption(c, "tzOffsetMinutes", 0, -1440, 1440);
  }

  /** Paths being read now (for status and tests). */
  openFiles(): string[] {
    return this.follower?.openFiles() ?? [];
  }

  protected override async startSource(cp: Checkpointer): Promise<RunningSource> {
    const f = new FileFollower(
      { ...this.settings, chain: (path) => this.chain(path) },
      { checkpointer: cp, pipeline: this.pipeline, counters: this.counters, onError: (m) => this.decodeError(m), clock: this.clock },
    );
    await f.start();
    this.follower = f;
    return { stop: () => f.stop() };
  }

  protected override rewind(row: Readonly<SourceRow>): void {
    this.follower?.rewind(row.source);
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
