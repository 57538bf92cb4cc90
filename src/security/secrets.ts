/**
 * Token secrets: `glt_<id>_<43 base64url chars>` — 256 random bits, plus a 12-hex-digit public
 * id that finds the token's row without scanning. Only HMAC-SHA256(salt, secret) with a random
 * 16-byte salt per token is stored. A slow password hash (bcrypt, argon2) is not used on
 * purpose: these secrets are random, not chosen by people, so guessing is hopeless at any hash
 * speed, while every API request verifies one — a slow hash would add tens of ms to each.
 */

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const TOKEN_PREFIX = "glt_";
const SECRET_RE = /^glt_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

/** A fresh secret and its public id. */
export function newSecret(): { id: string; secret: string } {
  const id = randomBytes(6).toString("hex");
  return { id, secret: `${TOKEN_PREFIX}${id}_${randomBytes(32).toString("base64url")}` };
}

/** The public id inside `secret`, or undefined when it is not shaped like a token. */
export function secretId(secret: string): string | undefined {
  return SECRET_RE.exec(secret)?.[1];
}

/** A random salt for a new token. */
export function newSalt(): Uint8Array {
  return new Uint8Array(randomBytes(16));
}

/** HMAC-SHA256 of `secret` keyed by `salt`. */
export function hashSecret(secret: string, salt: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", salt).update(secret).digest());
}

/** Constant-time comparison of two hashes. */
export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
