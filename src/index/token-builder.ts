/**
 * Builds the token index section ("idx.tokens", one index "tokens") from every record's raw
 * bytes with the one tokenizer (tokenizer.ts): each token once per record, positions ascending. Exact by
 * design (no caps): the engine skips a chunk when a token is absent here.
 */

import type { RecordBatch, SectionBuilder } from "../storage/types.ts";
import { encodeTermSection } from "./term-writer.ts";
import { TermTable } from "./term-table.ts";
import { TokenScanner } from "./tokenizer.ts";

export const TOKEN_SECTION = "idx.tokens";
export const TOKEN_INDEX = "tokens";

/** SectionBuilder for "idx.tokens"; always finishes "complete". */
export class TokenIndexBuilder implements SectionBuilder {
  readonly name = TOKEN_SECTION;
  private readonly table = new TermTable();
  private readonly scanner = new TokenScanner();

  /** `blockBytes`: dictionary block target (term-writer.ts); default the format's. */
  constructor(private readonly blockBytes?: number) {}

  add(batch: RecordBatch): void {
    const { data, rawOffsets } = batch;
    const table = this.table;
    const sc = this.scanner;
    const tok = sc.token;
    for (let i = 0; i < batch.count; i++) {
      table.startRecord(batch.first + i);
      sc.reset(data, rawOffsets[i]!, rawOffsets[i + 1]!);
      while (sc.next()) table.add(tok, 0, sc.length);
    }
  }

  finish(): { bytes: Uint8Array; status: "complete" } {
    const t = this.table;
    const built = t.build(TOKEN_INDEX, t.sortedIds());
    t.release();
    return { bytes: encodeTermSection("complete", [built], { blockBytes: this.blockBytes }), status: "complete" };
  }
}
