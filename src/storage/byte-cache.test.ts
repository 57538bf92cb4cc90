import { expect, test } from "bun:test";
import { ByteCache, ENTRY_OVERHEAD_BYTES, SEEN_KEYS } from "./byte-cache.ts";

const cost = (payload: number) => payload + ENTRY_OVERHEAD_BYTES;

test("keeps the most recently used entries within the byte budget", () => {
  const c = new ByteCache(3 * cost(100));
  c.set("a#0", "a0", 100);
  c.set("a#1", "a1", 100);
  c.set("b#0", "b0", 100);
  expect(c.get("a#0")).toBe("a0"); // touch a#0: order is a#1, b#0, a#0
  c.set("b#1", "b1", 100); // evicts the least recently used: a#1
  expect(["a#0", "a#1", "b#0", "b#1"].map((k) => c.get<string>(k))).toEqual(["a0", undefined, "b0", "b1"]);
  expect([c.bytes, c.size]).toEqual([3 * cost(100), 3]);
});

test("an entry larger than the budget is still kept alone; a prefix can be evicted whole", () => {
  const c = new ByteCache(50);
  c.set("a#0", 0, 100);
  expect(c.get("a#0")).toBe(0);
  c.set("a#1", 1, 10);
  expect(c.get("a#0")).toBeUndefined();
  c.set("b#0", 2, 10);
  c.evictPrefix("b#");
  expect([c.get("a#1"), c.get("b#0"), c.bytes]).toEqual([undefined, undefined, 0]);
});

test("replacing a key charges only the new size", () => {
  const c = new ByteCache(1 << 20);
  c.set("k", "old", 500);
  c.set("k", "new", 20);
  expect([c.get("k"), c.bytes, c.size]).toEqual(["new", cost(20), 1]);
});

test("offer() caches a value from its second use on, so a one-pass scan keeps nothing", () => {
  const c = new ByteCache(1 << 20);
  for (let i = 0; i < 10; i++) c.offer(`s#${i}`, i, 1000);
  expect([c.size, c.bytes, c.get("s#3")]).toEqual([0, 0, undefined]);
  c.offer("s#3", 3, 1000);
  expect([c.get("s#3"), c.size]).toEqual([3, 1]);
});

test("offer() remembers only the last SEEN_KEYS keys, and evictPrefix forgets them", () => {
  const c = new ByteCache(1 << 30);
  c.offer("old#0", 0, 10);
  for (let i = 0; i < SEEN_KEYS; i++) c.offer(`n#${i}`, i, 10);
  c.offer("old#0", 0, 10); // forgotten: counts as a first use again
  expect(c.get("old#0")).toBeUndefined();
  c.offer("n#5", 5, 10);
  expect(c.get("n#5")).toBe(5);
  c.offer("gone#0", 0, 10);
  c.evictPrefix("gone#");
  c.offer("gone#0", 0, 10);
  expect(c.get("gone#0")).toBeUndefined();
});

test("admitsFreely: only a remembered key, and only while its bytes fit without evicting", () => {
  const c = new ByteCache(10_000);
  expect(c.admitsFreely("a#0", 1000)).toBe(false); // never used
  c.remember("a#0");
  expect(c.admitsFreely("a#0", 1000)).toBe(true);
  expect(c.admitsFreely("a#0", 10_000)).toBe(false); // would not fit with its overhead
  c.offer("a#0", 0, 1000); // second use: cached
  expect(c.size).toBe(1);
  c.set("big", 1, 8000);
  c.remember("a#1");
  expect(c.admitsFreely("a#1", 1000)).toBe(false); // room is gone
  expect(c.size).toBe(2);
});
