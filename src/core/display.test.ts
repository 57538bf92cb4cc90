import { expect, test } from "bun:test";
import fc from "fast-check";
import { displayBytes, displayText, escapeControls, jsonWithoutC1 } from "./display.ts";

const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : p)));

test.each([
  ["plain UTF-8 stays", bytes("héllo wörld ✓ 😀"), "héllo wörld ✓ 😀"],
  ["tab stays", bytes("a\tb"), "a\tb"],
  ["ESC and BEL of a title sequence", bytes("\x1b]0;TITLE\x07x"), "\\x1b]0;TITLE\\x07x"],
  ["SGR colour", bytes("\x1b[31mred"), "\\x1b[31mred"],
  ["newline, CR, NUL, DEL", bytes("a\nb\rc", [0], "\x7f"), "a\\x0ab\\x0dc\\x00\\x7f"],
  ["C1 CSI as UTF-8", bytes("\u009b31m"), "\\x9b31m"],
  ["latin-1 byte", bytes("caf", [0xe9]), "caf\\xe9"],
  ["lone continuation and C1 byte", bytes([0x80, 0x9b], "x"), "\\x80\\x9bx"],
  ["overlong slash", bytes([0xc0, 0xaf]), "\\xc0\\xaf"],
  ["UTF-16 surrogate encoded", bytes([0xed, 0xa0, 0x80]), "\\xed\\xa0\\x80"],
  ["past U+10FFFF", bytes([0xf4, 0x90, 0x80, 0x80]), "\\xf4\\x90\\x80\\x80"],
  ["truncated sequence at the end", bytes("ok", [0xe2, 0x9c]), "ok\\xe2\\x9c"],
  ["valid after invalid", bytes([0xff], "✓"), "\\xff✓"],
])("%s", (_name, input, want) => {
  expect(displayText(input)).toBe(want);
});

test("escapeControls leaves text without controls as it is", () => {
  expect(escapeControls("a=b,c=d")).toBe("a=b,c=d");
  expect(escapeControls("x\x1by")).toBe("x\\x1by");
});

test("valid UTF-8 without controls is decoded unchanged; output never holds a control or U+FFFD", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme" }), (s) => {
      if (/[\x00-\x08\x0a-\x1f\x7f-\x9f]/.test(s)) return;
      expect(displayText(new TextEncoder().encode(s))).toBe(s);
    }),
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      fc.pre(!Buffer.from(b).includes(Buffer.from("\ufffd")));
      const out = displayText(b);
      expect(/[\x00-\x08\x0a-\x1f\x7f-\x9f\ufffd]/.test(out)).toBe(false);
    }),
  );
});

test("jsonWithoutC1 writes C1 controls as \\u00NN and keeps the JSON value", () => {
  const value = { raw: "csi \u009b31m, nel \u0085, é and \u001b" };
  const json = jsonWithoutC1(JSON.stringify(value));
  expect({ json, parsed: JSON.parse(json) }).toEqual({ json: '{"raw":"csi \\u009b31m, nel \\u0085, é and \\u001b"}', parsed: value });
});

test.each([
  ["latin-1 byte kept", bytes("caf", [0xe9], " x"), bytes("caf", [0xe9], " x")],
  ["lone continuation and lone C1 byte kept", bytes([0x80, 0x9b], "x"), bytes([0x80, 0x9b], "x")],
  ["ESC, BEL and NUL escaped", bytes("\x1b]0;T\x07", [0], [0xff]), bytes("\\x1b]0;T\\x07\\x00", [0xff])],
  ["C1 CSI as UTF-8 escaped", bytes("\u009b31m", [0xe9]), bytes("\\x9b31m", [0xe9])],
  ["valid UTF-8 and tab kept", bytes("gro\u00df\t✓", [0xc3]), bytes("gro\u00df\t✓", [0xc3])],
])("displayBytes (text for a pipe): %s", (_name, raw, want) => {
  expect(Buffer.from(displayBytes(raw)).toString("hex")).toBe(Buffer.from(want).toString("hex"));
});

test("displayBytes equals displayText's escaping wherever the bytes are valid UTF-8", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (s) => {
      const raw = new TextEncoder().encode(s);
      expect(new TextDecoder().decode(displayBytes(raw))).toBe(displayText(raw));
    }),
  );
});
