/**
 * Opens a term-index section of either version behind one TermSection interface: version 2
 * (format.ts, read by range: head, then the blocks a lookup needs) or version 1 (v1/, read
 * whole, checked against the store's checksum of the section). Decoded parts live in the
 * process ByteCache under a per-chunk key; every byte read from storage is counted in the
 * caller's ReadStats (section-context.ts).
 */

import { LogError } from "../core/errors.ts";
import type { MaybePromise } from "../storage/types.ts";
import { HEAD_PROBE_BYTES, sectionVersion, TERM_SECTION_VERSION } from "./format.ts";
import type { SectionHead } from "./head.ts";
import { BlockTermSection, loadHead } from "./term-reader.ts";
import { readCounted, type SectionContext, type TermSection } from "./section-context.ts";
import { V1_VERSION, V1TermSection } from "./v1/term-section.ts";

/** Opens the section in `ctx`: at once from the cached head, else read (a version-1 section whole). */
export function openTermSection(ctx: SectionContext): MaybePromise<TermSection> {
  const v1 = ctx.cache.get<V1TermSection>(`${ctx.key}v1`);
  if (v1 !== undefined) return v1;
  const head = ctx.cache.get<SectionHead>(`${ctx.key}head`);
  return head !== undefined ? new BlockTermSection(ctx, head) : readTermSection(ctx);
}

async function readTermSection(ctx: SectionContext): Promise<TermSection> {
  const length = ctx.source.length;
  const probe = await readCounted(ctx, 0, Math.min(length, HEAD_PROBE_BYTES));
  const version = sectionVersion(probe);
  if (version === TERM_SECTION_VERSION) return new BlockTermSection(ctx, await loadHead(ctx, probe));
  if (version !== V1_VERSION) throw new LogError("corrupt", version === undefined ? "term index section: bad magic" : `term index section: unknown version ${version}`);
  // Version 1 has no block CRCs: read whole, the read is checked against the section's checksum.
  const whole = probe.length === length ? probe : await readCounted(ctx, 0, length);
  const opened = new V1TermSection(whole);
  ctx.cache.set(`${ctx.key}v1`, opened, length + opened.decodedBytes);
  return opened;
}
