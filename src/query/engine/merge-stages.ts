/**
 * Record stages of a multi-store search around its first `| head N`: the stages up to and
 * including that head run in every store (each store's head is only an upper bound), the head
 * itself cuts the merged result, and the stages after it run here on the merged matches, so
 * `| head 5 | where x` keeps the rows of the first five merged matches that pass `x`.
 */

import type { LogRecord } from "../../core/record.ts";
import { batchFromRecords } from "../../storage/record-batch.ts";
import type { PipeStage } from "../lang/pipe-ast.ts";
import { compileFilter, type CompiledFilter } from "./compile.ts";
import type { Pacer } from "./pacer.ts";
import { keepRows } from "./pipeline/filter.ts";

export interface SplitStages {
  /** Stages each store runs. */
  perStore: readonly PipeStage[];
  /** Matches the merged result keeps before the later stages (Infinity: no head). */
  head: number;
  /** Stages after the first head, run on the merged matches in order. */
  after: AfterHead;
}

/** Splits `stages` at their first head. */
export function splitAtHead(stages: readonly PipeStage[]): SplitStages {
  const h = stages.findIndex((s) => s.kind === "head");
  if (h < 0) return { perStore: stages, head: Infinity, after: new AfterHead([]) };
  const first = stages[h]!;
  return { perStore: stages.slice(0, h + 1), head: first.kind === "head" ? first.n : Infinity, after: new AfterHead(stages.slice(h + 1)) };
}

type Step = { kind: "where"; filter: CompiledFilter } | { kind: "head"; left: number };

/** The stages after the first head: `where` filters and further heads (budgets counted here). */
export class AfterHead {
  private readonly steps: Step[];

  constructor(stages: readonly PipeStage[]) {
    this.steps = stages.map((s): Step => {
      if (s.kind === "where") return { kind: "where", filter: compileFilter(s.expr) };
      if (s.kind === "head") return { kind: "head", left: s.n };
      throw new Error(`record stage ${s.kind} after | head in a search`);
    });
  }

  /** True when no later head has budget left: nothing more can pass. */
  exhausted(): boolean {
    return this.steps.some((s) => s.kind === "head" && s.left <= 0);
  }

  /** Whether the match `record` passes every later stage (taking a head's budget when it does). */
  async keeps(record: LogRecord, pacer: Pacer): Promise<boolean> {
    for (const s of this.steps) {
      if (s.kind === "head") {
        if (s.left <= 0) return false;
        s.left--;
        continue;
      }
      const rows = await keepRows(s.filter, {}, batchFromRecords(0, [record]), Uint32Array.of(0), pacer);
      if (rows.length === 0) return false;
    }
    return true;
  }
}
