/**
 * The strict logfmt format index's pairs at seal without strings: the lines logfmt-scan.ts
 * reads, each pair written lowercased straight into the pair sink; other lines go to the
 * walker ("walker"), which stays the definition.
 */

import { ASCII_LOWER } from "../core/ascii.ts";
import { LogfmtScanner } from "./logfmt-scan.ts";
import { sinkPair, type PairSink } from "./msgkv-builder.ts";

/** "none": no logfmt fields; "done": pairs reported; "walker": run the logfmt walker instead. */
export type LogfmtPairsResult = "none" | "done" | "walker";

/** Reads one line; reused across lines. */
export class LogfmtPairReader {
  private readonly scanner = new LogfmtScanner();

  /** Reports the logfmt fields of `data[start, end)` to `sink`, or says the walker must. */
  pairs(data: Uint8Array, start: number, end: number, sink: PairSink): LogfmtPairsResult {
    const n = this.scanner.scan(data, start, end);
    if (typeof n !== "number") return n;
    const { keyStart, keyEnd, valueStart, valueEnd } = this.scanner;
    const s = sink.scratch;
    for (let p = 0; p < n; p++) {
      const ks = keyStart[p]!;
      const kl = keyEnd[p]! - ks;
      for (let j = 0; j < kl; j++) s[j] = ASCII_LOWER[data[ks + j]!]!;
      if (!sinkPair(sink, kl, data, valueStart[p]!, valueEnd[p]!)) break;
    }
    return "done";
  }
}
