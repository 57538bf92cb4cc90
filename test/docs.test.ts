/**
 * The documentation stays connected to the code: every relative link in README.md,
 * ARCHITECTURE.md and docs/*.md reaches an existing file (and heading, for #anchors), and the
 * receiver guide has a section for every receiver type the server registers.
 */

import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { RECEIVER_TYPES } from "../src/ingest/receivers/registry.ts";

const ROOT = resolve(import.meta.dir, "..");
const DOCS = ["README.md", "ARCHITECTURE.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.replace(/```[\s\S]*?```/g, "").matchAll(/^#{1,6} (.+)$/gm)) {
    out.add(m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-"));
  }
  return out;
}

test("relative links in the docs reach existing files and headings", () => {
  const broken: string[] = [];
  for (const doc of DOCS) {
    const text = readFileSync(join(ROOT, doc), "utf8").replace(/```[\s\S]*?```/g, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      const [path, hash] = target.split("#") as [string, string | undefined];
      const file = path === "" ? join(ROOT, doc) : resolve(dirname(join(ROOT, doc)), path);
      if (!existsSync(file)) broken.push(`${doc}: ${target} (no such file)`);
      else if (hash && file.endsWith(".md") && !anchors(readFileSync(file, "utf8")).has(hash)) broken.push(`${doc}: ${target} (no such heading)`);
    }
  }
  expect(broken).toEqual([]);
});

test("docs/receivers.md has a section for every receiver type", () => {
  const guide = readFileSync(join(ROOT, "docs/receivers.md"), "utf8");
  const sections = [...guide.matchAll(/^## (\w+)/gm)].map((m) => m[1]);
  const missing = [...Object.keys(RECEIVER_TYPES), "chatterbox"].filter((t) => !sections.includes(t));
  expect(missing).toEqual([]);
});
