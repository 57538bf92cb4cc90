/**
 * FileReceiver: the receivers that follow files (tail, kubernetes, docker with file://) on top
 * of SourceReceiver — one FileFollower per run over the subclass's patterns and decoding
 * chains, its problems reported as (throttled) events, and a failed append answered by
 * reopening that file at its committed position.
 */

import type { Checkpointer } from "../checkpoint/checkpointer.ts";
import type { SourceRow } from "../checkpoint/positions.ts";
import { FileFollower, type FollowerOptions } from "../files/follower.ts";
import { SourceReceiver, type RunningSource } from "./source-receiver.ts";

export abstract class FileReceiver extends SourceReceiver {
  private follower: FileFollower | undefined;

  /** Starts following files with `options`; records go through `cp`. */
  protected async follow(cp: Checkpointer, options: FollowerOptions): Promise<RunningSource> {
    const f = new FileFollower(options, { checkpointer: cp, pipeline: this.pipeline, counters: this.counters, onError: (m) => this.readProblem(m), clock: this.clock });
    await f.start();
    this.follower = f;
    return { stop: () => f.stop() };
  }

  protected override rewind(row: Readonly<SourceRow>): void {
    this.follower?.rewind(row.source);
  }
}
