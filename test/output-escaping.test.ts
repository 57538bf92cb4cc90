/**
 * Stored bytes in output (compiled binary; issue 10 items 6 and 10): text output — query and
 * the REPL — shows control characters as \xNN, in the raw text and in attributes, so a stored
 * escape sequence cannot retitle or recolour the terminal; `query` into a pipe keeps bytes that
 * are not UTF-8 as stored (a terminal and the REPL show them as \xNN); `query --raw` writes the
 * stored bytes untouched; JSON carries them losslessly (raw_base64 when they are not UTF-8)
 * with no raw control character.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gastrologBinary, runBinary } from "./support/binary.ts";

const b = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

/** Stored line -> how text output shows it. */
const LINES: [Buffer, string][] = [
  [b("title \x1b]0;TITLE\x07 end"), "title \\x1b]0;TITLE\\x07 end"],
  [b("red \x1b[31mRED\x1b[0m x"), "red \\x1b[31mRED\\x1b[0m x"],
  [b("caf", [0xe9], " latin1"), "caf\\xe9 latin1"],
  [b("tab\there"), "tab\there"],
  [b("plain ok ✓ groß"), "plain ok ✓ groß"],
  [b("csi \u009b31m c1"), "csi \\x9b31m c1"],
  [b("bell\x07 del\x7f nul", [0]), "bell\\x07 del\\x7f nul\\x00"],
];
/** A file name with an ESC in it becomes the `file` attribute. */
const FILE = "app\x1b[2J.log";
const FILE_SHOWN = "app\\x1b[2J.log";

let dir = "";
let data = "";
let log = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "escape-"));
  data = join(dir, "data");
  log = join(dir, FILE);
  writeFileSync(log, Buffer.concat(LINES.flatMap(([raw]) => [raw, Buffer.from("\n")])));
  expect(await runBinary(["import", "--quiet", "--data", data, log])).toMatchObject({ code: 0, stderr: "" });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the binary and returns stdout as bytes (runBinary decodes it as UTF-8). */
async function stdoutBytes(args: string[]): Promise<Buffer> {
  const p = Bun.spawn([await gastrologBinary(), ...args], { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const [out, code] = await Promise.all([new Response(p.stdout).arrayBuffer(), p.exited]);
  expect(code).toBe(0);
  return Buffer.from(out);
}

/** `<time> <attrs> <raw>` lines without their time. */
const afterTime = (text: string) => text.split("\n").filter((l) => /^\d{4}-/.test(l)).map((l) => l.slice(l.indexOf(" ") + 1));

test("query text output into a pipe escapes control characters in raw text and attributes, and keeps bytes that are not UTF-8 as stored", async () => {
  const out = await stdoutBytes(["query", "--data", data]);
  const latin1 = LINES.findIndex(([raw]) => raw.includes(0xe9));
  const lines = afterTime(out.toString("latin1"));
  expect(lines.map((l, i) => (i === latin1 ? l : Buffer.from(l, "latin1").toString("utf8")))).toEqual(
    LINES.map(([raw, shown], i) => `file=${FILE_SHOWN} ${i === latin1 ? raw.toString("latin1") : shown}`),
  );
  expect(out.includes(0x1b) || out.includes(0x07) || out.includes(Buffer.from([0xc2, 0x9b])) || out.includes(Buffer.from("\ufffd"))).toBe(false);
});

const SCRIPT = Bun.which("script", { PATH: "/usr/bin:/bin" });

test.skipIf(!SCRIPT)("query text output to a terminal also shows bytes that are not UTF-8 as \\xNN (needs script from bsdutils)", async () => {
  const p = Bun.spawn([SCRIPT!, "-qec", `${await gastrologBinary()} query --data ${data}`, "/dev/null"], { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const [out, code] = await Promise.all([new Response(p.stdout).arrayBuffer(), p.exited]);
  const text = Buffer.from(out).toString("utf8").replaceAll("\r\n", "\n");
  expect({ code, lines: afterTime(text) }).toEqual({ code: 0, lines: LINES.map(([, shown]) => `file=${FILE_SHOWN} ${shown}`) });
});

test("the REPL's text output (piped) escapes the same way", async () => {
  const out = await stdoutBytes(["repl", "--embedded", "-c", "set pager=0", "-c", "query", log]);
  expect(afterTime(out.toString("utf8"))).toEqual(LINES.map(([, shown]) => `file=${FILE_SHOWN} ${shown}`));
});

test("query --raw writes the stored bytes untouched", async () => {
  const out = await stdoutBytes(["query", "--data", data, "--raw"]);
  const lines: Buffer[] = [];
  for (let at = 0; at < out.length; ) {
    const nl = out.indexOf(0x0a, at);
    const line = out.subarray(at, nl);
    lines.push(line.subarray(line.indexOf(0x20, line.indexOf(0x20) + 1) + 1));
    at = nl + 1;
  }
  expect(lines.map((l) => l.toString("hex"))).toEqual(LINES.map(([raw]) => raw.toString("hex")));
  expect(out.includes(Buffer.from(`file=${FILE} `))).toBe(true);
});

test("JSON output is lossless: raw_base64 holds the exact bytes when they are not UTF-8", async () => {
  const out = await stdoutBytes(["query", "--data", data, "--output", "json"]);
  expect(out.includes(0x1b) || out.includes(Buffer.from([0xc2, 0x9b]))).toBe(false);
  const rows = out.toString("utf8").trim().split("\n").map((l) => JSON.parse(l) as { raw: string; raw_base64?: string; attrs: Record<string, string> });
  const bytes = rows.map((r) => (r.raw_base64 !== undefined ? Buffer.from(r.raw_base64, "base64") : Buffer.from(r.raw, "utf8")));
  expect(bytes.map((x) => x.toString("hex"))).toEqual(LINES.map(([raw]) => raw.toString("hex")));
  expect(rows.map((r) => r.raw_base64 !== undefined)).toEqual(LINES.map(([raw]) => !raw.equals(Buffer.from(raw.toString("utf8"), "utf8"))));
  expect(rows[0]!.attrs).toEqual({ file: FILE });
});

test("--raw is for text output only", async () => {
  const r = await runBinary(["query", "--data", data, "--raw", "--output", "json"]);
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
  expect(r.stderr).toContain("flag --raw is for text output");
});
