/**
 * Builds the message key=value index section ("idx.msgkv": "keys", "values", "pairs") from
 * key=value pairs extracted from raw (kv-extract.ts), keys and values ASCII-lowercased, each term once
 * per record. The key and total-pair caps stop collection and write every index empty
 * with status "capped". The per-key value cap is applied per key instead of capping everything:
 * a key past MAX_VALUES_PER_KEY distinct values keeps its exact key postings, loses its pairs,
 * and is listed in the "overflow" index (value lookups in general then need a scan, so the
 * section's "values" index is written empty, as is every other key=value section's of the seal:
 * kv-section-group.ts; its key=value lookups scan too unless the key fits the spill budget,
 * msgkv-spill.ts). Otherwise the byte budget may drop entries, recorded as status "budget".
 * Values are stored lowercased; so that a group-by can show them as written without reading
 * records, the "spellings" index lists, per key NUL value-as-written that is not already
 * lowercase ASCII, the records whose (first) occurrence of that pair was spelled so, and the
 * "unspelled" index the keys whose spellings are not all listed (non-ASCII values, or past
 * MAX_SPELLINGS). Segments written before these two indexes existed lack them (group-bys scan).
 */

import { ASCII_LOWER } from "../core/ascii.ts";
import { copyBytes } from "../core/bytes/copy.ts";
import type { RecordBatch, SectionBuilder, SectionStatus } from "../storage/types.ts";
import { KvScanner, KV_MAX_LEN } from "./kv-extract.ts";
import { admitByBudget, type KvTermKind } from "./msgkv-budget.ts";
import type { TermSectionStatus } from "./format.ts";
import { encodeTermSection } from "./term-writer.ts";
import { TermTable } from "./term-table.ts";
import { KEYS_INDEX, PAIRS_INDEX, VALUES_INDEX } from "./attr-builder.ts";
import { SPELLINGS_INDEX, UNSPELLED_INDEX } from "./spellings.ts";
import { CoveredPairs } from "./covered-pairs.ts";
import { PairMemo } from "./pair-memo.ts";
import { admitSpilledKeys, MAX_SPILLED_PAIRS, SPILL_BUDGET_SHARE, SPILL_MAX_VALUE_BYTES, SPILL_POSITION_COST, SPILL_SLACK, SPILL_TERM_COST, SPILLED_KEYS_INDEX, SPILLED_PAIRS_INDEX } from "./msgkv-spill.ts";
import { KvSectionGroup, type KvSectionPlan } from "./kv-section-group.ts";

/** Named index listing keys whose values overflowed MAX_VALUES_PER_KEY (terms only). */
export const OVERFLOW_INDEX = "overflow";

export const MSGKV_SECTION = "idx.msgkv";
/** A new key when this many distinct keys exist caps the index. */
export const MAX_UNIQUE_KEYS = 10_000;
/** Per key: a key with this many distinct values indexes no further pairs. */
export const MAX_VALUES_PER_KEY = 1_000;
/** Visiting any pair when this many distinct pairs exist caps the index. */
export const MAX_TOTAL_ENTRIES = 100_000;
/** Distinct as-written spellings listed at most; a key with a new one past this is unspelled. */
export const MAX_SPELLINGS = 100_000;

/**
 * Where a RecordPairs source puts a record's pairs: it writes key NUL value, both
 * ASCII-lowercased, at most KV_MAX_LEN bytes each, into `scratch` and calls `pair` (false once
 * the index is capped: stop) — with the value as written at `asWritten[at, ...)` (same length)
 * when that differs from the lowercased bytes or is not ASCII —, `overflowKey` for a key whose
 * value is too long, `drop` for fields it cannot report at all.
 */
export interface PairSink {
  readonly scratch: Uint8Array;
  pair(keyLength: number, end: number, asWritten?: Uint8Array, at?: number): boolean;
  overflowKey(keyLength: number): void;
  drop(): void;
  /**
   * For sources with a few fixed fields (a syslog header), where the sink offers it: reports
   * key = src[from, to) as `sinkPair` does, the key always the same for field `slot`; false
   * once the sink is full.
   */
  fieldPair?(slot: number, key: Uint8Array, src: Uint8Array, from: number, to: number): boolean;
}

/**
 * With a key in sink.scratch[0, kl): reports it with the value src[from, to) ASCII-lowercased,
 * or as overflowed when the value is empty or longer than KV_MAX_LEN; false once the sink is full.
 */
export function sinkPair(sink: PairSink, kl: number, src: Uint8Array, from: number, to: number): boolean {
  if (to === from || to - from > KV_MAX_LEN) {
    sink.overflowKey(kl);
    return true;
  }
  const s = sink.scratch;
  s[kl] = 0;
  let e = kl + 1;
  let differs = 0;
  for (let j = from; j < to; j++) {
    const b = src[j]!;
    const l = ASCII_LOWER[b]!;
    differs |= (b ^ l) | (b & 0x80);
    s[e++] = l;
  }
  return differs === 0 ? sink.pair(kl, e) : sink.pair(kl, e, src, from);
}

/**
 * Reports the pairs of the record at `data[start, end)` to `sink`. `needs`, when set, is a byte
 * every record with pairs holds: the builder finds it a batch at a time with a native search
 * and does not call the source on records without it (most records of a chunk are not in a
 * given format, and a byte loop over each was most of that format's cost on them).
 */
export interface RecordPairs {
  (data: Uint8Array, start: number, end: number, sink: PairSink): void;
  readonly needs?: number;
}

/** `pairs` with the byte it needs (RecordPairs.needs). */
export function needingByte(byte: number, pairs: (data: Uint8Array, start: number, end: number, sink: PairSink) => void): RecordPairs {
  return Object.assign(pairs, { needs: byte });
}

const kvScanner = new KvScanner();

/** The heuristic key=value pairs of a record (kv-extract.ts): none without an `=`. */
export const kvPairs: RecordPairs = needingByte(0x3d, (data, start, end, sink) => {
  const sc = kvScanner;
  const s = sink.scratch;
  sc.reset(data, start, end);
  while (sc.next()) {
    const kl = sc.keyLength;
    copyBytes(s, 0, sc.key, 0, kl);
    s[kl] = 0;
    let e = kl + 1;
    let differs = 0;
    for (let j = sc.valueStart; j < sc.valueEnd; j++) {
      const b = data[j]!;
      const l = ASCII_LOWER[b]!;
      differs |= (b ^ l) | (b & 0x80);
      s[e++] = l;
    }
    if (!(differs === 0 ? sink.pair(kl, e) : sink.pair(kl, e, data, sc.valueStart))) return;
  }
});

/** What a key=value builder shares with the other key=value builders of its seal. */
export interface KvBuilderSeal {
  /** What their lookups scan (kv-section-group.ts); default: the builder alone. */
  group?: KvSectionGroup;
  /** Pairs another section holds for each record (the logfmt fields): left out here (covered-pairs.ts). */
  covered?: RecordPairs;
}

/**
 * SectionBuilder for "idx.msgkv" (and, with another source, the format field indexes). finish() reports "capped" for a hard cap and "lossy" for
 * budget drops; the section's own status byte says the same ("capped" / "budget").
 */
export class MessageKvIndexBuilder implements SectionBuilder, PairSink {
  private keys = new TermTable();
  private values = new TermTable();
  private pairs = new TermTable();
  private spellings = new TermTable();
  /** Spelling id -> key id. */
  private spellingKey: Uint32Array = new Uint32Array(1024);
  /** Key id -> 1 once a value of the key could not be listed in spellings. */
  private unspelled = new Uint8Array(MAX_UNIQUE_KEYS);
  private valuesPerKey = new Uint32Array(MAX_UNIQUE_KEYS);
  /** Key id -> 1 once the key's distinct values passed MAX_VALUES_PER_KEY. */
  private overflowed = new Uint8Array(MAX_UNIQUE_KEYS);
  private overflowCount = 0;
  /** Pair id -> key id. */
  private pairKey: Uint32Array = new Uint32Array(1024);
  /** Pair id -> value id. */
  private pairValue: Uint32Array = new Uint32Array(1024);
  /** Pair id -> 1 for a pair first seen after its key overflowed (spilled: no value term). */
  private pairSpilled: Uint8Array = new Uint8Array(1024);
  /** Pairs interned while their key was under the value cap (what MAX_TOTAL_ENTRIES counts). */
  private indexedPairs = 0;
  private spilledPairs = 0;
  /** Key id -> 1 once an overflowed key lost a pair (spill full, value too long): not spilled. */
  private spillLost = new Uint8Array(MAX_UNIQUE_KEYS);
  /** Key id -> running estimate of its spilled pairs' bytes. */
  private spillCost = new Float64Array(MAX_UNIQUE_KEYS);
  /** Its seal's key=value section group and its number there. */
  private readonly group: KvSectionGroup;
  private readonly member: number;
  /** Planned at the group's first finish, used at its own: the candidate pairs (sorted) and the admitted keys. */
  private spillAdmission: { sorted: Uint32Array; admitted: Uint8Array } | undefined;
  /** The current record's pairs another section of the seal holds (not indexed here). */
  private readonly covered: CoveredPairs | undefined;
  /** The pair kept per field of a fixed-field source (fieldPair), and the pair the last visit recorded written as stored (-1: none). */
  private readonly memo = new PairMemo();
  private visitedPair = -1;
  /** Records added so far. */
  private fed = 0;
  /** Raw bytes of the records holding pairs (the spill budget is a share of them). */
  private rawBytes = 0;
  private visits = 0;
  private capped = false;
  private droppedFields = false;
  /** key NUL value, lowercased (PairSink). */
  readonly scratch = new Uint8Array(2 * KV_MAX_LEN + 1);
  /** key NUL value as written (spellings). */
  private readonly spellScratch = new Uint8Array(2 * KV_MAX_LEN + 1);
  readonly name: string;

  /**
   * `budget`: bytes of the greedy budget (msgkv-budget.ts); `blockBytes`: dictionary block
   * target (term-writer.ts); `source` the pairs of a record (default: heuristic key=value
   * extraction) and `name` the section it builds; `seal` what it shares with the seal's other
   * key=value builders.
   */
  constructor(
    private readonly budget: number,
    private readonly blockBytes?: number,
    private readonly source: RecordPairs = kvPairs,
    name = MSGKV_SECTION,
    seal: KvBuilderSeal = {},
  ) {
    this.name = name;
    this.group = seal.group ?? new KvSectionGroup();
    this.member = this.group.join(
      () => this.plan(),
      () => this.fed,
    );
    this.covered = seal.covered && new CoveredPairs(seal.covered);
  }

  add(batch: RecordBatch): void {
    this.fed += batch.count;
    const { data, rawOffsets } = batch;
    const needs = this.source.needs ?? -1;
    // The next `needs` byte is at `next` (data.length: none) for starts in [searched, next].
    let searched = -1;
    let next = -1;
    for (let i = 0; i < batch.count && !this.capped; i++) {
      const start = rawOffsets[i]!;
      if (needs >= 0) {
        if (start < searched || start > next) {
          searched = start;
          next = data.indexOf(needs, start);
          if (next < 0) next = data.length;
        }
        if (next >= rawOffsets[i + 1]!) continue;
      }
      const pos = batch.first + i;
      this.keys.startRecord(pos);
      this.values.startRecord(pos);
      this.pairs.startRecord(pos);
      this.spellings.startRecord(pos);
      const before = this.visits;
      this.covered?.record(data, rawOffsets[i]!, rawOffsets[i + 1]!);
      this.source(data, rawOffsets[i]!, rawOffsets[i + 1]!, this);
      if (this.visits !== before) this.rawBytes += rawOffsets[i + 1]! - rawOffsets[i]!;
    }
  }

  /** PairSink: records the pair in scratch (key = [0, kl), value = [kl+1, end)); false once capped. */
  pair(kl: number, end: number, asWritten?: Uint8Array, at = 0): boolean {
    if (this.capped) return false;
    if (this.covered?.has(this.scratch, end)) return true;
    this.visits++;
    if (!this.visit(kl, end, asWritten, at)) {
      this.cap();
      return false;
    }
    return true;
  }

  /**
   * PairSink: key = src[from, to) as field `slot`; a field repeating the value it had last is
   * recorded by the pair id kept for it (PairMemo). Not with covered pairs: they are found by bytes.
   */
  fieldPair(slot: number, key: Uint8Array, src: Uint8Array, from: number, to: number): boolean {
    const memo = this.covered === undefined;
    if (memo) {
      const pid = this.memo.id(slot, src, from, to);
      if (pid >= 0) return this.pairAgain(pid);
    }
    copyBytes(this.scratch, 0, key, 0, key.length);
    this.visitedPair = -1;
    const more = sinkPair(this, key.length, src, from, to);
    if (memo) this.memo.remember(slot, src, from, to, this.visitedPair);
    return more;
  }

  /** pair() of the known pair `pid` whose value is written as stored (no spelling). */
  private pairAgain(pid: number): boolean {
    if (this.capped) return false;
    this.visits++;
    if (this.seen(pid, 0, 0, undefined, 0)) return true;
    this.cap();
    return false;
  }

  /** PairSink: key scratch[0, kl) has a value too long to index: its pairs are not kept. */
  overflowKey(kl: number): void {
    if (this.capped) return;
    this.visits++;
    let kid = this.keys.find(this.scratch, 0, kl);
    if (kid < 0 && this.keys.size >= MAX_UNIQUE_KEYS) return this.cap();
    if (kid < 0) kid = this.keys.internMissed(this.scratch, 0, kl);
    this.keys.addId(kid);
    if (this.overflowed[kid] === 0) this.overflowCount++;
    this.overflowed[kid] = 1;
    this.spillLost[kid] = 1;
  }

  /** PairSink: the record has fields the source could not report: the section is lossy. */
  drop(): void {
    this.droppedFields = true;
  }

  finish(): { bytes: Uint8Array; status: SectionStatus } {
    this.group.ready(this.member);
    if (this.capped) {
      const empty = new TermTable();
      const bytes = encodeTermSection("capped", [KEYS_INDEX, VALUES_INDEX, PAIRS_INDEX, OVERFLOW_INDEX, SPELLINGS_INDEX, UNSPELLED_INDEX].map((n) => empty.build(n, [])), { blockBytes: this.blockBytes });
      return { bytes, status: "capped" };
    }
    const keepPair = (pid: number): boolean => this.overflowed[this.pairKey[pid]!] === 0;
    const parts: [TermTable, string, KvTermKind, ((id: number) => boolean) | undefined][] = [
      [this.keys, KEYS_INDEX, "single", undefined],
      [this.values, VALUES_INDEX, "single", undefined],
      [this.pairs, PAIRS_INDEX, "pair", this.overflowCount > 0 ? keepPair : undefined],
    ];
    let dropped = this.droppedFields;
    const built = parts.map(([table, name, kind, keep]) => {
      // With a key overflowed here or in another key=value section, value lookups scan whatever "values" holds: it is left empty.
      if (name === VALUES_INDEX && (this.overflowCount > 0 || this.group.scansValuesElsewhere(this.member))) return table.build(name, []);
      const a = admitByBudget(table, kind, this.budget, keep);
      dropped ||= a.dropped;
      return table.build(name, a.ids);
    });
    // The overflowed keys with their (exact) key postings.
    const keyIds = this.keys.sortedIds();
    built.push(this.keys.build(OVERFLOW_INDEX, keyIds.filter((kid) => this.overflowed[kid] === 1)));
    // Spellings of keys whose pairs are all kept and all spelled (the others' group-bys scan).
    const spelled = (kid: number) => this.overflowed[kid] === 0 && this.unspelled[kid] === 0;
    built.push(this.spellings.build(SPELLINGS_INDEX, this.spellings.sortedIds().filter((sid) => spelled(this.spellingKey[sid]!))));
    built.push(this.keys.build(UNSPELLED_INDEX, keyIds.filter((kid) => this.unspelled[kid] === 1)));
    if (!dropped) built.push(...this.buildSpill(keyIds)); // a lossy section's lookups all scan
    for (const t of [this.keys, this.values, this.pairs, this.spellings]) t.release();
    const status: TermSectionStatus = dropped ? "budget" : "complete";
    return { bytes: encodeTermSection(status, built, { blockBytes: this.blockBytes }), status: dropped ? "lossy" : "complete" };
  }

  /**
   * Records the pair in scratch (key = [0, kl), value = [kl+1, end)) and its spelling when
   * `asWritten` is given; false when a cap hits. A pair seen before costs one hash lookup: its
   * key and value ids are kept by pair id.
   */
  private visit(kl: number, end: number, asWritten: Uint8Array | undefined, at: number): boolean {
    const s = this.scratch;
    let pid = this.pairs.find(s, 0, end);
    if (pid >= 0) {
      this.visitedPair = asWritten === undefined ? pid : -1;
      return this.seen(pid, kl, end, asWritten, at);
    }
    if (this.indexedPairs >= MAX_TOTAL_ENTRIES) return false;
    let kid = this.keys.find(s, 0, kl);
    if (kid < 0 && this.keys.size >= MAX_UNIQUE_KEYS) return false;
    if (kid < 0) kid = this.keys.internMissed(s, 0, kl);
    this.keys.addId(kid);
    if (this.valuesPerKey[kid]! >= MAX_VALUES_PER_KEY) {
      if (this.overflowed[kid] === 0) this.overflowCount++;
      this.overflowed[kid] = 1; // its key postings stay exact; its values are not kept, its pairs are spilled
      return this.spill(kid, kl, end);
    }
    pid = this.newPair(kid, end);
    this.visitedPair = asWritten === undefined ? pid : -1;
    this.pairValue[pid] = this.values.add(s, kl + 1, end);
    this.valuesPerKey[kid]++;
    this.indexedPairs++;
    this.pairs.addId(pid);
    if (asWritten !== undefined) this.spell(kid, kl, end, asWritten, at);
    return true;
  }

  /** Records pair `pid`, seen before, in the current record (and its spelling when `asWritten` is given); false when a cap hits. */
  private seen(pid: number, kl: number, end: number, asWritten: Uint8Array | undefined, at: number): boolean {
    if (this.pairs.inCurrentRecord(pid)) return true;
    if (this.indexedPairs >= MAX_TOTAL_ENTRIES) return false;
    const seenKid = this.pairKey[pid]!;
    this.keys.addId(seenKid);
    this.pairs.addId(pid);
    if (this.pairSpilled[pid] === 1) this.spillCost[seenKid] += SPILL_POSITION_COST;
    else {
      this.values.addId(this.pairValue[pid]!);
      if (asWritten !== undefined) this.spell(seenKid, kl, end, asWritten, at);
    }
    return true;
  }

  /** Lists the record's first occurrence of the pair in scratch as spelled at asWritten[at, ...). */
  private spell(kid: number, kl: number, end: number, asWritten: Uint8Array, at: number): void {
    if (this.unspelled[kid] === 1) return;
    const t = this.spellScratch;
    copyBytes(t, 0, this.scratch, 0, kl + 1);
    for (let j = kl + 1, k = at; j < end; j++, k++) {
      const b = asWritten[k]!;
      if (b >= 0x80) {
        this.unspelled[kid] = 1; // a group shows it as the resolver decodes it; keep to ASCII
        return;
      }
      t[j] = b;
    }
    let sid = this.spellings.find(t, 0, end);
    if (sid < 0) {
      if (this.spellings.size >= MAX_SPELLINGS) {
        this.unspelled[kid] = 1;
        return;
      }
      sid = this.spellings.internMissed(t, 0, end);
      if (sid >= this.spellingKey.length) this.spellingKey = grow(this.spellingKey);
      this.spellingKey[sid] = kid;
    }
    this.spellings.addId(sid);
  }

  /** Interns the pair in scratch[0, end) of key `kid`. */
  private newPair(kid: number, end: number): number {
    const pid = this.pairs.internMissed(this.scratch, 0, end);
    if (pid >= this.pairKey.length) {
      this.pairKey = grow(this.pairKey);
      this.pairValue = grow(this.pairValue);
      const spilled = new Uint8Array(this.pairKey.length);
      spilled.set(this.pairSpilled);
      this.pairSpilled = spilled;
    }
    this.pairKey[pid] = kid;
    return pid;
  }

  /** Keeps a new pair of overflowed key `kid` for the spill while there is room; always true. */
  private spill(kid: number, kl: number, end: number): boolean {
    if (this.spillLost[kid] === 1) return true;
    this.spillCost[kid] += end - kl - 1 + SPILL_TERM_COST;
    // A key with long values, or far past the budget so far, will not be admitted: stop collecting it (it scans).
    if (this.spilledPairs >= MAX_SPILLED_PAIRS || end - kl - 1 > SPILL_MAX_VALUE_BYTES || this.spillCost[kid]! > 2 * this.spillBudget() + SPILL_SLACK) {
      this.spillLost[kid] = 1;
      return true;
    }
    const pid = this.newPair(kid, end);
    this.pairSpilled[pid] = 1;
    this.spilledPairs++;
    this.pairs.addId(pid);
    return true;
  }

  /** The overflowed keys the spill budget admits, and what the section's lookups will scan. */
  private plan(): KvSectionPlan {
    if (this.capped) return { scansAll: true, scansValues: true, scanned: new Set() };
    const candidates = new Uint8Array(this.keys.size);
    for (let kid = 0; kid < this.keys.size; kid++) if (this.overflowed[kid] === 1 && this.spillLost[kid] === 0) candidates[kid] = 1;
    const sorted = this.pairs.sortedIds((pid) => candidates[this.pairKey[pid]!] === 1);
    const admitted = admitSpilledKeys(this.pairs, sorted, this.pairKey, this.keys.size, this.spillBudget());
    this.spillAdmission = { sorted: Uint32Array.from(sorted), admitted };
    const scanned = new Set<string>();
    for (let kid = 0; kid < this.keys.size; kid++) if (this.overflowed[kid] === 1 && admitted[kid] === 0) scanned.add(this.keys.termText(kid));
    return { scansAll: this.droppedFields, scansValues: this.overflowCount > 0, scanned };
  }

  /**
   * The spilled_keys and spilled_pairs indexes of the overflowed keys the spill budget admits,
   * less those whose lookups scan in another section anyway (none when no key is left).
   */
  private buildSpill(keyIds: readonly number[]) {
    const { sorted, admitted } = this.spillAdmission!;
    for (let kid = 0; kid < admitted.length; kid++) {
      if (admitted[kid] === 1 && this.group.scansElsewhere(this.member, this.keys.termText(kid))) admitted[kid] = 0;
    }
    if (admitted.indexOf(1) < 0) return []; // no spill indexes: read as "no key spilled"
    return [
      this.keys.build(SPILLED_KEYS_INDEX, keyIds.filter((kid) => admitted[kid] === 1)),
      this.pairs.build(SPILLED_PAIRS_INDEX, Array.from(sorted).filter((pid) => admitted[this.pairKey[pid]!] === 1)),
    ];
  }

  /** The spill budget for the raw bytes seen so far. */
  private spillBudget(): number {
    return Math.min(this.budget, this.rawBytes * SPILL_BUDGET_SHARE);
  }

  /** Stops collection for good and releases what was collected. */
  private cap(): void {
    this.capped = true;
    this.keys = this.values = this.pairs = this.spellings = new TermTable();
  }
}

function grow(a: Uint32Array): Uint32Array {
  const next = new Uint32Array(a.length * 2);
  next.set(a);
  return next;
}
