/**
 * `gastrolog repl --embedded --follow FILE` (compiled binary) follows a growing file live like
 * tail -f: lines appended after start appear, also across a rename rotation; Ctrl-C (SIGINT)
 * ends it with 130; piped into `head -n 2` it exits as soon as head has its lines. The flag
 * without plain files in place is a usage error.
 */

import { expect, test } from "bun:test";
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gastrologBinary, runBinary } from "./support/binary.ts";
import { until } from "./support/until.ts";

async function withFile(body: (file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "repl-follow-"));
  try {
    const file = join(dir, "app.log");
    writeFileSync(file, "2025-03-01T10:00:00Z INFO already there\n");
    await body(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Collects a stream's text; `waitFor` resolves once it contains `s` (bounded). */
function collect(stream: ReadableStream<Uint8Array>): { text: () => string; waitFor: (s: string) => Promise<void> } {
  let text = "";
  void (async () => {
    const dec = new TextDecoder();
    for await (const c of stream) text += dec.decode(c, { stream: true });
  })();
  return {
    text: () => text,
    async waitFor(s) {
      await until(() => text.includes(s), { what: JSON.stringify(s), timeoutMs: 15_000, pollMs: 20, detail: () => `the output:\n${text}` });
    },
  };
}

test("follows appended lines and a rename rotation live; SIGINT ends it with 130", async () => {
  await withFile(async (file) => {
    const p = Bun.spawn([await gastrologBinary(), "repl", "--embedded", "--follow", file], { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
    const out = collect(p.stdout);
    await out.waitFor("--- Following");
    appendFileSync(file, "2025-03-01T10:00:01Z WARN appended one\n");
    await out.waitFor("appended one");
    renameSync(file, `${file}.1`);
    appendFileSync(`${file}.1`, "2025-03-01T10:00:02Z INFO late in the old file\n");
    writeFileSync(file, "2025-03-01T10:00:03Z ERROR in the new file\n");
    await out.waitFor("in the new file");
    p.kill("SIGINT");
    expect(await p.exited).toBe(130);
    const lines = out.text().trim().split("\n").filter((l) => !l.startsWith("---"));
    expect(lines.map((l) => l.slice(l.indexOf("Z ") + 2))).toEqual(["file=app.log 2025-03-01T10:00:01Z WARN appended one", "file=app.log 2025-03-01T10:00:02Z INFO late in the old file", "file=app.log 2025-03-01T10:00:03Z ERROR in the new file"]);
  });
}, 30_000);

test("piped into head -n 2: exits once head has its lines", async () => {
  await withFile(async (file) => {
    const bin = await gastrologBinary();
    const p = Bun.spawn(["bash", "-c", `"${bin}" repl --embedded --follow "${file}" | head -n 2`], { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
    const out = collect(p.stdout);
    // head takes the "--- Following" note and the first line, then leaves; more lines follow.
    let exited = false;
    void p.exited.then(() => (exited = true));
    for (let i = 0; !exited && i < 200; i++) {
      appendFileSync(file, `2025-03-01T10:00:0${i % 10}Z INFO line ${i}\n`);
      await Bun.sleep(50);
    }
    expect(await p.exited).toBe(0);
    expect(out.text().trim().split("\n").length).toBe(2);
  });
}, 30_000);

test("--follow needs plain FILEs read in place", async () => {
  const r = await runBinary(["repl", "--embedded", "--follow"]);
  expect({ code: r.code, err: r.stderr.includes("--follow follows plain FILEs read in place") }).toEqual({ code: 2, err: true });
});
