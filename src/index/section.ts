/**
 * Opens a term-index section of either version behind one TermSection interface: version 2
 * (format.ts, read by range: head, then the blocks a lookup needs) or version 1 (v1/, read
 * whole and CRC-checked). Decoded parts live in the process ByteCache under a per-chunk key;
 * every byte read from storage is counted in the caller's ReadStats (section-context.ts).
 */

import { LogError } from "../core/errors.ts";
import { HEAD_PROBE_BYTES, sectionVersion, TERM_SECTION_VERSION } from "./format.ts";
import type { SectionHead } from "./head.ts";
import { BlockTermSection, loadHead } from "./term-reader.ts";
import { readCounted, type SectionContext, type TermSection } from "./section-context.ts";
import { V1_VERSION, V1TermSection } from "./v1/term-section.ts";

/** Opens the section in `ctx`: its head from the cache, else read (a version-1 section whole). */
export function openTermSection(ctx: SectionContext): TermSection {
  const v1 = ctx.cache.get<V1TermSection>(`${ctx.key}v1`);
  if (v1 !== undefined) return v1;
  const head = ctx.cache.get<SectionHead>(`${ctx.key}head`);
  if (head !== undefined) return new BlockTermSection(ctx, head);
  const probe = readCounted(ctx, 0, Math.min(ctx.source.length, HEAD_PROBE_BYTES));
  const version = sectionVersion(probe);
  if (version === TERM_SECTION_VERSION) return new BlockTermSection(ctx, loadHead(ctx, probe));
  if (version !== V1_VERSION) throw new LogError("corrupt", version === undefined ? "term index section: bad magic" : `term index section: unknown version ${version}`);
  const opened = new V1TermSection(wholeSection(ctx));
  ctx.cache.set(`${ctx.key}v1`, opened, ctx.source.length + opened.decodedBytes);
  return opened;
}

/** The whole section, CRC-checked against the segment directory (version 1 has no block CRCs). */
function wholeSection(ctx: SectionContext): Uint8Array {
  ctx.stats.bytes += ctx.source.length;
  ctx.stats.reads++;
  return ctx.source.bytes();
}
