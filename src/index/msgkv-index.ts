/**
 * The message key=value index type ("kv", section idx.msgkv): key=value pairs extracted from the
 * raw text (msgkv-builder.ts), under hard caps and a byte budget. Serves the key=value probe
 * family with the attribute index, but only answers exactly what it kept: a capped or lossy
 * section, a key whose values overflowed, or values when any key overflowed mean "check at
 * runtime", never "no match". Its statistics carry those warnings.
 */

import type { IndexType } from "./index-type.ts";
import { firstTerms, frequencyStats } from "./index-stats.ts";
import { kvCountFields, kvCounts, kvProbeTerm, kvSummary } from "./kv-terms.ts";
import { MessageKvIndexBuilder, MSGKV_SECTION, OVERFLOW_INDEX } from "./msgkv-builder.ts";
import { requireIndex } from "./section-context.ts";

const EMPTY = new Uint32Array(0);

export const msgkvIndex: IndexType = {
  name: "kv",
  title: "message key=value",
  section: MSGKV_SECTION,
  answers: ["kv", "key_exists", "value_exists"],
  builder: (o) => new MessageKvIndexBuilder(o.kvBudget, o.blockBytes),
  async probe(section, probe) {
    const { index, term, label } = kvProbeTerm(probe);
    if (section.status !== "complete") return { kind: "runtime", reason: "budget_exhausted", detail: `msg_${label}=${section.status}` };
    const overflow = section.index(OVERFLOW_INDEX);
    if (probe.kind === "kv" && overflow !== undefined && (await overflow.get(probe.key)) !== undefined) {
      return { kind: "runtime", reason: "value_not_indexed", detail: `msg_kv=key '${probe.key}' has too many values to index` };
    }
    if (probe.kind === "value_exists" && overflow !== undefined && overflow.termCount > 0) {
      return { kind: "runtime", reason: "value_not_indexed", detail: "msg_val=incomplete (a key has too many values)" };
    }
    const positions = (await requireIndex(section, index).get(term)) ?? EMPTY;
    return { kind: "positions", positions, detail: `msg_${label}=${positions.length}` };
  },
  async stats(section, _records, topN) {
    const c = await kvCounts(section);
    const overflow = section.index(OVERFLOW_INDEX);
    const warnings: string[] = [];
    if (section.status === "capped") warnings.push("capped — a hard limit was hit, nothing is indexed (key=value queries scan)");
    if (section.status === "budget") warnings.push("lossy — the size budget dropped entries (key=value queries verify by scanning)");
    const overflowed = overflow?.termCount ?? 0;
    if (overflowed > 0) {
      const shown = await firstTerms(overflow!, topN);
      const more = overflowed > shown.length ? ", ..." : "";
      warnings.push(`${overflowed} key(s) overflowed the per-key value cap, their pairs are not indexed: ${shown.join(", ")}${more}`);
    }
    return {
      name: "kv",
      section: MSGKV_SECTION,
      title: "Message KV stats",
      summary: kvSummary(c),
      fields: [...kvCountFields(c, "indexed"), { label: "top keys", kind: "terms", terms: (await frequencyStats(c.keys, topN)).top }],
      warnings,
    };
  },
};
