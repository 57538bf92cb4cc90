/**
 * A literal searched for in a batch's text, the way most predicates find candidate records:
 * ASCII-lowercased UTF-8 bytes, the same bytes as a latin1 string, and a case-insensitive
 * literal RegExp over the batch's latin1 view (undefined when the needle has no letter: a
 * plain byte search is then exact and faster), and the needle's anchor (anchor.ts: a run of
 * digits or punctuation searched as bytes, so batches without it are never decoded to text).
 * Non-ASCII needles are verified bytewise.
 */

import { asciiLowerBytes } from "../../../core/ascii.ts";
import { anchorOf, type Anchor } from "../anchor.ts";

export interface Needle {
  /** The needle as latin1 text (one char per UTF-8 byte), lowercased like the pattern matches. */
  readonly text: string;
  /** ASCII-lowercased UTF-8 bytes, for exact verification of non-ASCII needles. */
  readonly bytes: Uint8Array;
  readonly ascii: boolean;
  /** Global RegExp; callers set lastIndex. */
  readonly pattern: RegExp | undefined;
  /** Searched instead of the pattern when the needle has one. */
  readonly anchor: Anchor | undefined;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** The needle for `source` (matched ASCII-case-insensitively). */
export function compileNeedle(source: string): Needle {
  const bytes = asciiLowerBytes(source);
  let ascii = true;
  for (const b of bytes) if (b > 0x7f) ascii = false;
  // The batch text is latin1, so the needle is too; a non-unicode /i folds ASCII letters and
  // latin1 letters only among themselves, never a byte >= 0x80 onto an ASCII letter, so ASCII
  // needles match exactly and others are verified bytewise.
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const pattern = /[a-z]/.test(latin1) ? new RegExp(latin1.replace(REGEX_SPECIAL, "\\$&"), "gi") : undefined;
  return { text: latin1.toLowerCase(), bytes, ascii, pattern, anchor: anchorOf(bytes) };
}
