/**
 * Compiled query predicates and their per-record test. A predicate is
 * compiled once per query: needles are lowercased, and a bare word that is not exactly one
 * indexable token becomes a case-insensitive substring predicate that never uses the token index.
 */

import { asciiLower, asciiLowerBytes } from "../../core/ascii.ts";
import { isIndexableWord } from "../../index/tokenizer.ts";
import type { Attrs } from "../../core/record.ts";
import type { PredicateNode } from "../lang/ast.ts";
import { describeExpr } from "../lang/printer.ts";

export type PredicateKind = "token" | "substring" | "kv" | "key_exists" | "value_exists";

export interface Predicate {
  readonly kind: PredicateKind;
  /** Canonical form for explain, e.g. `token(error)`, `level=error`. */
  readonly text: string;
  /** Original word (token/substring) as typed. */
  readonly word: string;
  /** Lowercased key (kv, key_exists) or "". */
  readonly key: string;
  /** Lowercased value (kv, value_exists) or "". */
  readonly value: string;
  /**
   * Needle searched in a batch's lowercased latin1 text to find candidate records: the UTF-8
   * bytes, one char per byte, lowercased like the batch text.
   */
  readonly needle: string;
  /** Needle bytes (UTF-8, ASCII-lowercased) for exact verification of non-ASCII needles. */
  readonly needleBytes: Uint8Array;
  readonly needleAscii: boolean;
  /**
   * Finds the needle case-insensitively in a batch's latin1 text (global, sticky-free; callers
   * set lastIndex). undefined when the needle has no ASCII letter: then a plain byte search is
   * exact and faster.
   */
  readonly pattern: RegExp | undefined;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

function make(kind: PredicateKind, text: string, word: string, key: string, value: string, needleSource: string): Predicate {
  const needleBytes = asciiLowerBytes(needleSource);
  let ascii = true;
  for (const b of needleBytes) if (b > 0x7f) ascii = false;
  // The batch text is lowered by latin1 toLowerCase (which also folds bytes 0xC0-0xDE), so the
  // needle is folded the same way; hits of non-ASCII needles are then verified byte-exactly.
  const source = latin1(needleBytes);
  // Non-unicode /i folds ASCII letters and latin1 letters only among themselves, never a byte
  // >= 0x80 onto an ASCII letter, so ASCII needles match exactly; others are verified bytewise.
  const pattern = /[a-z]/.test(source) ? new RegExp(source.replace(REGEX_SPECIAL, "\\$&"), "gi") : undefined;
  return { kind, text, word, key, value, needle: source.toLowerCase(), needleBytes, needleAscii: ascii, pattern };
}

/** Compiles one leaf of the query AST. */
export function compilePredicate(node: PredicateNode): Predicate {
  const text = describeExpr(node);
  switch (node.kind) {
    case "token": {
      // Quoting only defeats keywords: a quoted single token is still a token.
      const kind = isIndexableWord(node.word) ? "token" : "substring";
      return make(kind, text, node.word, "", "", asciiLower(node.word));
    }
    case "kv": {
      const k = asciiLower(node.key);
      const v = asciiLower(node.value);
      return make("kv", text, "", k, v, `${k}=${v}`);
    }
    case "key_exists": {
      const k = asciiLower(node.key);
      return make("key_exists", text, "", k, "", `${k}=`);
    }
    case "value_exists": {
      const v = asciiLower(node.value);
      return make("value_exists", text, "", "", v, `=${v}`);
    }
  }
}

/** Attribute side of a kv-family predicate (keys and values compared ASCII-case-insensitively). */
export function attrsMatch(p: Predicate, attrs: Attrs): boolean {
  for (const k in attrs) {
    switch (p.kind) {
      case "kv":
        if (asciiLower(k) === p.key && asciiLower(attrs[k]!) === p.value) return true;
        break;
      case "key_exists":
        if (asciiLower(k) === p.key) return true;
        break;
      case "value_exists":
        if (asciiLower(attrs[k]!) === p.value) return true;
        break;
      default:
        return false;
    }
  }
  return false;
}
