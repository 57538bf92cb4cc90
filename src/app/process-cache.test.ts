import { expect, test } from "bun:test";
import { DEFAULT_CACHE_BYTES } from "../storage/byte-cache.ts";
import { CACHE_SIZE_ENV, cacheBytes } from "./process-cache.ts";

test("the process cache budget comes from GASTROLOG_CACHE_SIZE, 64 MiB by default", () => {
  const budget = (value: string | undefined) => {
    try {
      return cacheBytes({ [CACHE_SIZE_ENV]: value });
    } catch (e) {
      return (e as { code: string; message: string }).code + ": " + (e as Error).message;
    }
  };
  expect([budget(undefined), budget(""), budget("256MB"), budget("1gb"), budget("4096"), budget("lots")]).toEqual([
    DEFAULT_CACHE_BYTES,
    DEFAULT_CACHE_BYTES,
    256 << 20,
    1 << 30,
    4096,
    "invalid_argument: GASTROLOG_CACHE_SIZE must be a size like 64MB or 1GB, got 'lots'",
  ]);
});
