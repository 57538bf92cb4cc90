/**
 * Record size limits and the one rule that enforces them. Oversize input is never a crash and
 * never silently lost: it is truncated by the rule below and the caller counts the violation.
 *
 * Rule (applied in this order):
 *  - raw longer than MAX_RAW_BYTES is cut to MAX_RAW_BYTES and attr `_truncated` is set to the
 *    original byte length;
 *  - attribute keys are cut to MAX_ATTR_KEY_BYTES and values to MAX_ATTR_VALUE_BYTES (UTF-8
 *    bytes, never splitting a character);
 *  - past MAX_ATTRS attributes, the extra ones (in ascending key order) are dropped and attr
 *    `_dropped_attrs` holds how many;
 *  - a sourceTs the store cannot hold (negative, fractional, beyond 2^53 µs: a client's clock
 *    or unit gone wrong) becomes 0, "no event time", and attr `_invalid_source_ts` keeps it, so
 *    one such record never fails the batch it travels in.
 */

import type { Attrs, RecordInput } from "./record.ts";

/** Largest raw payload kept verbatim: 1 MiB. */
export const MAX_RAW_BYTES = 1 << 20;
/** Most attributes per record (the two bookkeeping attrs above come on top). */
export const MAX_ATTRS = 64;
/** Longest attribute key in UTF-8 bytes. */
export const MAX_ATTR_KEY_BYTES = 128;
/** Longest attribute value in UTF-8 bytes. */
export const MAX_ATTR_VALUE_BYTES = 4096;

export const TRUNCATED_ATTR = "_truncated";
export const DROPPED_ATTRS_ATTR = "_dropped_attrs";
export const INVALID_SOURCE_TS_ATTR = "_invalid_source_ts";

/** What `enforceLimits` changed; all zero when the input was within limits. */
export interface LimitViolations {
  rawTruncated: number;
  attrsTruncated: number;
  attrsDropped: number;
  sourceTsInvalid: number;
}

const encoder = new TextEncoder();

/** Cuts `s` to at most `maxBytes` UTF-8 bytes without splitting a code point. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes) return s;
  const bytes = encoder.encode(s);
  if (bytes.length <= maxBytes) return s;
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

function attrsWithinLimits(attrs: Attrs): boolean {
  let n = 0;
  for (const k in attrs) {
    if (++n > MAX_ATTRS) return false;
    if (k.length > MAX_ATTR_KEY_BYTES / 3 && encoder.encode(k).length > MAX_ATTR_KEY_BYTES) return false;
    const v = attrs[k]!;
    if (v.length > MAX_ATTR_VALUE_BYTES / 3 && encoder.encode(v).length > MAX_ATTR_VALUE_BYTES) return false;
  }
  return true;
}

/**
 * Returns the record within limits (the same object when nothing had to change) and what was
 * changed. `violations` is mutated so callers can accumulate counts across a batch.
 */
export function enforceLimits(input: RecordInput, violations: LimitViolations): RecordInput {
  const rawOk = input.raw.length <= MAX_RAW_BYTES;
  const tsOk = Number.isSafeInteger(input.sourceTs) && input.sourceTs >= 0;
  if (rawOk && tsOk && attrsWithinLimits(input.attrs)) return input;

  const attrs: Record<string, string> = {};
  const keys = Object.keys(input.attrs).sort();
  let kept = 0;
  for (const key of keys) {
    if (kept === MAX_ATTRS) {
      violations.attrsDropped += keys.length - kept;
      attrs[DROPPED_ATTRS_ATTR] = String(keys.length - kept);
      break;
    }
    const k = truncateUtf8(key, MAX_ATTR_KEY_BYTES);
    const value = input.attrs[key]!;
    const v = truncateUtf8(value, MAX_ATTR_VALUE_BYTES);
    if (k !== key || v !== value) violations.attrsTruncated++;
    attrs[k] = v;
    kept++;
  }
  let raw = input.raw;
  if (!rawOk) {
    violations.rawTruncated++;
    attrs[TRUNCATED_ATTR] = String(raw.length);
    raw = raw.subarray(0, MAX_RAW_BYTES);
  }
  if (!tsOk) {
    violations.sourceTsInvalid++;
    attrs[INVALID_SOURCE_TS_ATTR] = String(input.sourceTs);
  }
  return { raw, attrs, sourceTs: tsOk ? input.sourceTs : 0, ingestTs: input.ingestTs };
}

export function noViolations(): LimitViolations {
  return { rawTruncated: 0, attrsTruncated: 0, attrsDropped: 0, sourceTsInvalid: 0 };
}
