import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  TOKEN_MAX_LEN,
  TokenScanner,
  classifyTokenMiss,
  isIndexableWord,
  tokenize,
} from "./tokenizer.ts";

/** Example inputs and their tokens (delimiters, case, length bounds, numbers). */
const A3_ROWS: Array<[string, string[]]> = [
  ["Hello World", ["hello", "world"]],
  ["ERROR: connection refused (errno=111)", ["error", "connection", "refused", "errno"]],
  ["GET /api/v1/users?id=42 HTTP/1.1", ["get", "api", "v1", "users", "id", "http"]],
  ["status=200 duration=15ms", ["status", "duration", "15ms"]],
  ["user_id=12345 session-id=abc-def", ["user_id", "session-id"]],
  ["0x1F 0b101 0o17 0b 0x 0b12 0xZZ", ["0b", "0x", "0b12", "0xzz"]],
  ["deadbeef cafe dead-beef face-off", ["face-off"]],
  ["a1b2 abc 12ab ab12 fe g1", ["g1"]],
  ["0195b2c4-7d10-7aa0-8f00-3c2e1b9a0d11", []],
  ["request_id=0195b2c4-7d10-7aa0-8f00-3c2e1b9a0d11", ["request_id"]],
  ["supercalifragilisticexpialidocious", ["supercalifragili"]],
  ["deadbeefdeadbeefXYZ", []],
  ["Fehler: Datei zu groß", ["fehler", "datei", "zu", "gro"]],
  ["-- __ - _ a-", ["--", "__"]],
  ["192.168.1.100:8080", []],
  ['{"level":"warn","msg":"disk 95% full"}', ["level", "warn", "msg", "disk", "full"]],
  ["[2024-01-15T10:30:45Z] WARN Timeout", ["2024-01-15t10", "45z", "warn", "timeout"]],
  ["user@example.com", ["user", "example", "com"]],
  ["C:\\Windows\\System32", ["windows", "system32"]],
  ["k8s-node-07 pod/web-5d8f7c", ["k8s-node-07", "pod", "web-5d8f7c"]],
  ["v1.2.3 go1.22 x86_64", ["v1", "go1", "x86_64"]],
  ["x y ab cd gh", ["gh"]],
];

/** Extra edge cases: duplicates kept, truncation discards the tail, control bytes split. */
const EXTRA_ROWS: Array<[string, string[]]> = [
  ["", []],
  ["error error ERROR", ["error", "error", "error"]],
  ["0X1F 0O9 0B", ["0o9", "0b"]],
  ["abcdefghijklmnopqrstuvwxyz next", ["abcdefghijklmnop", "next"]],
  ["tab\there\u0000nul\nline", ["tab", "here", "nul", "line"]],
  ["日本語 text", ["text"]],
];

describe("tokenize", () => {
  test.each([...A3_ROWS, ...EXTRA_ROWS])("%p", (input, expected) => {
    expect({ input, tokens: tokenize(input) }).toEqual({ input, tokens: expected });
  });

  test("bytes and string input agree, scanner honours start/end offsets", () => {
    const bytes = new TextEncoder().encode("xx Hello World yy");
    const s = new TokenScanner();
    s.reset(bytes, 3, 14);
    const got: Array<[string, number]> = [];
    while (s.next()) got.push([s.text(), s.tokenStart]);
    expect(got).toEqual([
      ["hello", 3],
      ["world", 9],
    ]);
    expect(tokenize(bytes)).toEqual(tokenize("xx Hello World yy"));
  });

  test("property: tokens are 2..16 bytes of [a-z0-9_-], never numeric", () => {
    const hexOnly = /^[0-9a-f-]*$/;
    const prefixed = /^0(x[0-9a-f]+|o[0-7]+|b[01]+)$/;
    const byteInput = fc.uint8Array({ maxLength: 200 });
    const textInput = fc.string({ unit: fc.constantFrom(..."aZf0-_. x9=\u00e9Bb"), maxLength: 80 });
    const check = (input: Uint8Array | string) => {
      for (const t of tokenize(input)) {
        expect(t.length).toBeGreaterThanOrEqual(2);
        expect(t.length).toBeLessThanOrEqual(TOKEN_MAX_LEN);
        expect(t).toMatch(/^[a-z0-9_-]+$/);
        if (/^0[xob]/.test(t)) expect(prefixed.test(t)).toBe(false);
        else expect(hexOnly.test(t) && /[0-9a-f]/.test(t)).toBe(false);
      }
    };
    fc.assert(fc.property(byteInput, check), { numRuns: 300 });
    fc.assert(fc.property(textInput, check), { numRuns: 300 });
  });
});

describe("isIndexableWord", () => {
  test.each<[string, boolean]>([
    ["error", true],
    ["ERROR", true],
    ["session-id", true],
    ["0x", true],
    ["404", false],
    ["cafe", false],
    ["api.example.com", false],
    ["x", false],
    ["disk full", false],
    ["größe", false],
    ["supercalifragilisticexpialidocious", false],
    ["-", false],
    ["", false],
  ])("%p -> %p", (word, expected) => {
    expect(isIndexableWord(word)).toBe(expected);
  });
});

describe("classifyTokenMiss", () => {
  test.each([
    ["größe", "non_ascii"],
    ["x", "too_short"],
    ["", "too_short"],
    ["404", "numeric"],
    ["CAFE", "numeric"],
    ["dead-beef", "numeric"],
    ["0x1F", "numeric"],
    ["--", "not_indexed"],
    ["timeout", "not_indexed"],
    ["api.example.com", "not_indexed"],
  ])("%p -> %p", (word, expected) => {
    expect(classifyTokenMiss(word)).toBe(expected as ReturnType<typeof classifyTokenMiss>);
  });
});
