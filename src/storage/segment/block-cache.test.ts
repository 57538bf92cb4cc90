import { expect, test } from "bun:test";
import { BlockCache } from "./block-cache.ts";
import type { DecodedBlock } from "./block.ts";

const block = (n: number) => ({ first: n }) as unknown as DecodedBlock;

test("keeps the most recently used blocks within the byte budget", () => {
  const c = new BlockCache(300);
  c.set("a", 0, block(0), 100);
  c.set("a", 1, block(1), 100);
  c.set("b", 0, block(2), 100);
  expect(c.get("a", 0)).toBe(c.get("a", 0)!); // touch a#0: b#0... order is a#1, b#0, a#0
  c.set("b", 1, block(3), 100); // evicts the least recently used: a#1
  expect([c.get("a", 0) !== undefined, c.get("a", 1) !== undefined, c.get("b", 0) !== undefined, c.get("b", 1) !== undefined]).toEqual([true, false, true, true]);
  expect(c.bytes).toBe(300);
});

test("an entry larger than the budget is still kept alone; a segment can be evicted whole", () => {
  const c = new BlockCache(50);
  c.set("a", 0, block(0), 100);
  expect(c.get("a", 0)).toBeDefined();
  c.set("a", 1, block(1), 10);
  expect(c.get("a", 0)).toBeUndefined();
  c.evictSegment("a");
  expect([c.get("a", 1), c.bytes]).toEqual([undefined, 0]);
});
