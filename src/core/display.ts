/**
 * Stored text made safe to print: control characters (C0 except tab, DEL, C1) become `\xNN`
 * so a log line cannot move the cursor, retitle or recolour a terminal, and bytes that are not
 * UTF-8 become `\xNN` too instead of U+FFFD, so `caf\xe9` stays recognisable. The one escaping
 * used by every text output (CLI and REPL); JSON output only needs C1 controls written as
 * `\u00NN` (JSON.stringify escapes C0 but leaves C1 raw). `displayBytes` is the variant for
 * text written to a pipe or file: control characters escaped the same way, bytes that are not
 * UTF-8 kept as they were stored (a script sees `caf\xe9` as the byte 0xe9).
 */

// C0 except tab, DEL and C1: each could start a terminal control sequence.
const CONTROL_RE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;
const HAS_CONTROL_RE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

const strict = new TextDecoder("utf-8", { fatal: true });

function hex(code: number): string {
  return `\\x${code.toString(16).padStart(2, "0")}`;
}

/** `text` with control characters shown as `\xNN`. */
export function escapeControls(text: string): string {
  return HAS_CONTROL_RE.test(text) ? text.replace(CONTROL_RE, (ch) => hex(ch.charCodeAt(0))) : text;
}

const C1_RE = /[\x80-\x9f]/g;
const HAS_C1_RE = /[\x80-\x9f]/;

/** A JSON text with C1 control characters escaped as `\u00NN` (the same JSON value). */
export function jsonWithoutC1(json: string): string {
  return HAS_C1_RE.test(json) ? json.replace(C1_RE, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`) : json;
}

/** Length of the valid UTF-8 sequence starting at `b[i]` (a non-ASCII lead byte), 0 if invalid. */
function utf8Length(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > b.length) return 0;
  // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
  const min = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
  const max = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
  const second = b[i + 1]!;
  if (second < min || second > max) return 0;
  for (let k = 2; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

/** Bytes that are not all valid UTF-8, decoded with each invalid byte as `\xNN`. */
function decodeMixed(b: Uint8Array): string {
  let out = "";
  let start = 0;
  let i = 0;
  while (i < b.length) {
    if (b[i]! < 0x80) {
      i++;
      continue;
    }
    const n = utf8Length(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += strict.decode(b.subarray(start, i)) + hex(b[i]!);
    start = ++i;
  }
  return out + strict.decode(b.subarray(start));
}

/** Raw record bytes as safe text: UTF-8 decoded, invalid bytes and control characters as `\xNN`. */
export function displayText(raw: Uint8Array): string {
  let text: string;
  try {
    text = strict.decode(raw);
  } catch {
    text = decodeMixed(raw);
  }
  return escapeControls(text);
}

const BACKSLASH_X = [0x5c, 0x78];
const HEX = "0123456789abcdef";

/**
 * Raw record bytes for text output that is not a terminal: control characters (C0 except tab,
 * DEL, and C1 when validly encoded) as `\xNN` like displayText, every other valid UTF-8
 * sequence and every byte that is not UTF-8 copied unchanged.
 */
export function displayBytes(raw: Uint8Array): Uint8Array {
  const out: number[] = [];
  const escape = (code: number) => out.push(...BACKSLASH_X, HEX.charCodeAt(code >> 4), HEX.charCodeAt(code & 15));
  for (let i = 0; i < raw.length; ) {
    const c = raw[i]!;
    if (c < 0x80) {
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) escape(c);
      else out.push(c);
      i++;
      continue;
    }
    const n = utf8Length(raw, i);
    if (n === 0) {
      out.push(c);
      i++;
    } else if (n === 2 && c === 0xc2 && raw[i + 1]! <= 0x9f) {
      escape(raw[i + 1]!);
      i += 2;
    } else {
      for (let k = 0; k < n; k++) out.push(raw[i + k]!);
      i += n;
    }
  }
  return Uint8Array.from(out);
}
