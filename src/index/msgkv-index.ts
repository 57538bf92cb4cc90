/**
 * The message key=value index type ("kv", section idx.msgkv): key=value pairs extracted from the
 * raw text (msgkv-builder.ts), under hard caps and a byte budget. Serves the key=value probe
 * family with the attribute index, but only answers exactly what it kept: a capped or lossy
 * section, a key whose values overflowed, or values when any key overflowed mean "check at
 * runtime", never "no match" — except an overflowed key whose pairs the spill kept exactly
 * (msgkv-spill.ts), answered from "spilled_pairs". Its statistics carry those warnings. `pairIndexType` makes the
 * same kind of index type over another pair source (the format field indexes).
 */

import type { IndexType } from "./index-type.ts";
import type { SectionBuilder } from "../storage/types.ts";
import { firstTerms, frequencyStats } from "./index-stats.ts";
import { keyValuePositions, kvCountFields, spelledFieldValues, kvCounts, kvProbeTerm, kvSummary } from "./kv-terms.ts";
import { PAIRS_INDEX } from "./attr-builder.ts";
import { kvPairs, MessageKvIndexBuilder, MSGKV_SECTION, OVERFLOW_INDEX } from "./msgkv-builder.ts";
import { formatPairs } from "./format-pairs.ts";
import { FORMAT_FIELDS } from "./format-fields.ts";
import { requireIndex, type TermSection } from "./section-context.ts";
import { SPILLED_KEYS_INDEX, SPILLED_PAIRS_INDEX } from "./msgkv-spill.ts";
import type { KvSectionGroup } from "./kv-section-group.ts";
import { PAIR_SEPARATOR, type FieldValueSource, type ProbeAnswer, type TermIndex } from "./types.ts";

const EMPTY = new Uint32Array(0);

/**
 * Where key `key`'s pairs are: "pairs" when it did not overflow, "spilled" (its exact pairs in
 * the spill index) when it overflowed but was spilled, else undefined (scan). Sections written
 * before the spill existed have no spill indexes: their overflowed keys scan.
 */
async function pairsOfKey(section: TermSection, key: string): Promise<{ index: TermIndex; spilled: boolean } | undefined> {
  const overflow = section.index(OVERFLOW_INDEX);
  if (overflow === undefined || (await overflow.get(key)) === undefined) return { index: requireIndex(section, PAIRS_INDEX), spilled: false };
  const spilledKeys = section.index(SPILLED_KEYS_INDEX);
  if (spilledKeys === undefined || (await spilledKeys.get(key)) === undefined) return undefined;
  return { index: requireIndex(section, SPILLED_PAIRS_INDEX), spilled: true };
}

/** Explain's note on an answer from the spill index. */
const SPILLED_NOTE = " (key past the value cap: spilled pairs, exact)";

/** What distinguishes one pair index type from another. */
export interface PairIndexSpec {
  name: string;
  title: string;
  section: string;
  /** Prefix of its explain notes (`msg` gives `msg_kv=3`). */
  label: string;
  /** Heading of its statistics ("Message KV stats"). */
  statsTitle: string;
  builder: (budget: number, blockBytes: number, group?: KvSectionGroup) => SectionBuilder;
  /** Leave its explain note out when it found nothing (formats most chunks do not hold). */
  quietWhenEmpty?: boolean;
  /** Its place in field resolution order (index-type.ts `fields`). */
  fieldRank: number;
}

/** Rank of the message key=value pairs in field resolution order: after every format's fields. */
export const MSGKV_FIELD_RANK = 100;

/**
 * Field `key`'s values and spellings in a pair section, or undefined when the section cannot
 * list them all: not complete, the key overflowed or is unspelled, or the section predates spellings.
 */
async function pairFieldValues(section: TermSection, key: string): Promise<FieldValueSource | undefined> {
  if (section.status !== "complete") return undefined;
  const values = await spelledFieldValues(section, key);
  const overflow = section.index(OVERFLOW_INDEX);
  // An overflowed key (too many, empty or too long values) has records its pairs do not list.
  if (values === undefined || overflow === undefined || (await overflow.get(key)) !== undefined) return undefined;
  return values;
}

/** A key=value index type over the pairs `spec.builder` collects (capped, budgeted, overflow-aware). */
export function pairIndexType(spec: PairIndexSpec): IndexType {
  const { label: L } = spec;
  /** The key_values answer: exact unless the section dropped something or the key overflowed. */
  const keyValues = async (section: TermSection, key: string, accept: (v: string) => boolean, within?: Uint32Array): Promise<ProbeAnswer> => {
    if (section.status !== "complete") return { kind: "runtime", reason: "budget_exhausted", detail: `${L}_values=${section.status}` };
    const pairs = await pairsOfKey(section, key);
    if (pairs === undefined) return { kind: "runtime", reason: "value_not_indexed", detail: `${L}_values=key '${key}' has too many or too long values to index` };
    const positions = await keyValuePositions(pairs.index, key, accept, within);
    const quiet = spec.quietWhenEmpty === true && positions.length === 0;
    return { kind: "positions", positions, detail: quiet ? "" : `${L}_values=${positions.length}${pairs.spilled ? SPILLED_NOTE : ""}` };
  };
  return {
    name: spec.name,
    title: spec.title,
    section: spec.section,
    answers: ["kv", "key_exists", "value_exists", "key_values"],
    builder: (o, seal) => spec.builder(o.kvBudget, o.blockBytes, seal?.kv),
    fields: { rank: spec.fieldRank, values: pairFieldValues },
    async probe(section, probe) {
      if (probe.kind === "key_values") return keyValues(section, probe.key, probe.accept, probe.within);
      const { index, term, label } = kvProbeTerm(probe);
      if (section.status !== "complete") return { kind: "runtime", reason: "budget_exhausted", detail: `${L}_${label}=${section.status}` };
      const overflow = section.index(OVERFLOW_INDEX);
      if (probe.kind === "kv") {
        const pairs = await pairsOfKey(section, probe.key);
        if (pairs === undefined) return { kind: "runtime", reason: "value_not_indexed", detail: `${L}_kv=key '${probe.key}' has too many or too long values to index` };
        if (pairs.spilled) {
          const positions = (await pairs.index.get(probe.key + PAIR_SEPARATOR + probe.value)) ?? EMPTY;
          return { kind: "positions", positions, detail: `${L}_kv=${positions.length}${SPILLED_NOTE}` };
        }
      }
      if (probe.kind === "value_exists" && overflow !== undefined && overflow.termCount > 0) {
        return { kind: "runtime", reason: "value_not_indexed", detail: `${L}_val=incomplete (a key has too many or too long values)` };
      }
      const positions = (await requireIndex(section, index).get(term)) ?? EMPTY;
      const quiet = spec.quietWhenEmpty === true && positions.length === 0;
      return { kind: "positions", positions, detail: quiet ? "" : `${L}_${label}=${positions.length}` };
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
        warnings.push(`${overflowed} key(s) overflowed the per-key value cap, their values are not indexed: ${shown.join(", ")}${more}`);
        const spilled = section.index(SPILLED_KEYS_INDEX);
        const spilledCount = spilled?.termCount ?? 0;
        if (spilledCount > 0) {
          const kept = await firstTerms(spilled!, topN);
          warnings.push(`${spilledCount} of them keep their pairs in the spill index (key=value lookups stay exact): ${kept.join(", ")}${spilledCount > kept.length ? ", ..." : ""}`);
        }
        if (spilledCount < overflowed) warnings.push(`${spilledCount === 0 ? "their" : "the others'"} pairs are not indexed (key=value lookups on them scan)`);
      }
      return {
        name: spec.name,
        section: spec.section,
        title: spec.statsTitle,
        summary: kvSummary(c),
        fields: [...kvCountFields(c, "indexed"), { label: "top keys", kind: "terms", terms: (await frequencyStats(c.keys, topN)).top }],
        warnings,
      };
    },
  };
}

const logfmtPairs = formatPairs(FORMAT_FIELDS.find((f) => f.name === "logfmt")!);

export const msgkvIndex: IndexType = pairIndexType({
  name: "kv",
  title: "message key=value",
  section: MSGKV_SECTION,
  label: "msg",
  statsTitle: "Message KV stats",
  fieldRank: MSGKV_FIELD_RANK,
  // The pairs of logfmt lines are in the logfmt index: the message pairs leave them out.
  builder: (budget, blockBytes, group) => new MessageKvIndexBuilder(budget, blockBytes, kvPairs, MSGKV_SECTION, { group, covered: logfmtPairs }),
});
