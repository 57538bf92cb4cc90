/**
 * The import bench's second, more varied corpus: lines drawn at random (seeded) from the
 * loghub samples in ../shared/data/loghub (16 systems: line lengths from ~40 to ~900 bytes,
 * different timestamp formats and token counts), every digit past the timestamp re-drawn so values do not repeat
 * verbatim, and one line in four given 1-6 extra key=value pairs (attribute density). Cached
 * under bench/.data/ like corpus(); undefined when the samples are absent.
 */

import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Prng } from "../scripts/gen-corpus.ts";
import { DATA_DIR } from "./corpus.ts";

export const LOGHUB_DIR = join(import.meta.dir, "../../shared/data/loghub");
const SEED = 7;
const KEYS = ["user", "status", "latency_ms", "region", "trace_id", "attempt", "pool", "shard"];
const WORDS = ["eu-west", "us-east", "ok", "retry", "primary", "replica", "cold", "warm", "batch"];
const FLUSH = 1 << 20;
/** Leading bytes whose digits are kept, so most lines keep a valid timestamp. */
const KEEP_PREFIX = 30;

function sampleLines(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of readdirSync(LOGHUB_DIR).filter((n) => n.endsWith(".log")).sort()) {
    const text = readFileSync(join(LOGHUB_DIR, f));
    let start = 0;
    for (let nl = text.indexOf(10); nl >= 0; nl = text.indexOf(10, start)) {
      if (nl > start) out.push(text.subarray(start, nl));
      start = nl + 1;
    }
  }
  return out;
}

/** Path of the `lines`-line resampled loghub corpus, generated on first use; undefined without samples. */
export function loghubCorpus(lines: number): string | undefined {
  if (!existsSync(LOGHUB_DIR)) return undefined;
  const path = join(DATA_DIR, `loghub-s${SEED}-${lines}.log`);
  const stamp = `${path}.done`;
  if (existsSync(path) && existsSync(stamp) && readFileSync(stamp, "utf8") === String(lines)) return path;
  const samples = sampleLines();
  const rng = new Prng(SEED);
  const buf = new Uint8Array(FLUSH + 8192);
  const enc = new TextEncoder();
  let len = 0;
  const fd = openSync(path, "w");
  for (let i = 0; i < lines; i++) {
    const line = samples[rng.u32() % samples.length]!;
    for (let k = 0; k < line.length; k++) {
      const c = line[k]!;
      buf[len++] = k >= KEEP_PREFIX && c >= 0x30 && c <= 0x39 ? 0x30 + (rng.u32() % 10) : c;
    }
    if (rng.u32() % 4 === 0) {
      const pairs = 1 + (rng.u32() % 6);
      let extra = "";
      for (let p = 0; p < pairs; p++) {
        const v = rng.u32() % 2 === 0 ? String(rng.u32() % 100_000) : WORDS[rng.u32() % WORDS.length]!;
        extra += ` ${KEYS[rng.u32() % KEYS.length]}=${v}`;
      }
      len += enc.encodeInto(extra, buf.subarray(len)).written;
    }
    buf[len++] = 10;
    if (len >= FLUSH) {
      writeSync(fd, buf.subarray(0, len));
      len = 0;
    }
  }
  writeSync(fd, buf.subarray(0, len));
  closeSync(fd);
  writeFileSync(stamp, String(lines));
  return path;
}
