/**
 * Resume tokens: an opaque string naming the last returned record (store, chunk, position) and
 * the direction. Positions never move (sealing keeps chunk IDs and positions), so a token stays
 * valid across appends and seals; it becomes invalid only when its chunk is deleted.
 */

import { LogError } from "../../core/errors.ts";

export interface ResumePoint {
  store: string;
  chunk: string;
  pos: number;
  reverse: boolean;
}

export function encodeResume(p: ResumePoint): string {
  return Buffer.from(JSON.stringify([p.store, p.chunk, p.pos, p.reverse ? 1 : 0])).toString("base64url");
}

export function decodeResume(token: string): ResumePoint {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 4 && typeof v[0] === "string" && typeof v[1] === "string" && Number.isInteger(v[2]) && v[2] >= 0) {
      return { store: v[0], chunk: v[1], pos: v[2], reverse: v[3] === 1 };
    }
  } catch {
    // fall through to the error below
  }
  throw new LogError("invalid_argument", `invalid resume token '${token.slice(0, 40)}': not a token this server issued`);
}
