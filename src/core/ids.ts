/**
 * Chunk identifiers: UUID version 7 in canonical lowercase 8-4-4-4-12 form. They sort by
 * creation time as strings, so "newest chunk" is the greatest ID.
 */

export type ChunkId = string;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A new time-ordered chunk ID. */
export function newChunkId(): ChunkId {
  return Bun.randomUUIDv7();
}

/** True when `s` is a canonical lowercase UUIDv7 (a directory or file name we created). */
export function isChunkId(s: string): boolean {
  return UUID_RE.test(s);
}
