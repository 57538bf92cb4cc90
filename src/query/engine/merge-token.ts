/**
 * Resume tokens of merged (multi-store) searches: base64url JSON `{"m":1,"r":0|1,"s":{store:
 * position}}` where a position is "" (not started: search from the beginning), "-" (finished)
 * or the store's own single-store resume token (continue after that match). Opaque to clients.
 */

import { LogError } from "../../core/errors.ts";

/** Where one store continues. */
export type StorePosition = { kind: "start" } | { kind: "done" } | { kind: "after"; token: string };

export interface MergeToken {
  reverse: boolean;
  stores: Record<string, StorePosition>;
}

export function encodeMergeToken(t: MergeToken): string {
  const s: Record<string, string> = {};
  for (const [name, p] of Object.entries(t.stores)) s[name] = p.kind === "start" ? "" : p.kind === "done" ? "-" : p.token;
  return Buffer.from(JSON.stringify({ m: 1, r: t.reverse ? 1 : 0, s })).toString("base64url");
}

/** Decodes a merged token; LogError("invalid_argument") when malformed or of the other direction. */
export function decodeMergeToken(token: string, reverse: boolean): MergeToken {
  const v = parse(token);
  if (v === undefined) throw new LogError("invalid_argument", `invalid resume token '${token.slice(0, 40)}': not a multi-store token this server issued`);
  if ((v.r === 1) !== reverse) throw new LogError("invalid_argument", `resume token belongs to a ${v.r === 1 ? "reverse" : "forward"} search, not this one`);
  const stores: Record<string, StorePosition> = {};
  for (const [name, p] of Object.entries(v.s)) stores[name] = p === "" ? { kind: "start" } : p === "-" ? { kind: "done" } : { kind: "after", token: p };
  return { reverse, stores };
}

function parse(token: string): { r: number; s: Record<string, string> } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof v !== "object" || v === null || v.m !== 1 || typeof v.s !== "object" || v.s === null) return undefined;
    if (!Object.values(v.s).every((p) => typeof p === "string")) return undefined;
    return { r: v.r === 1 ? 1 : 0, s: v.s as Record<string, string> };
  } catch {
    return undefined;
  }
}
