/**
 * Fluent Forward's shared-key handshake (protocol v1, "Handshake Messages"), server side:
 *   server -> HELO  ["HELO", {nonce: bin, auth: "" , keepalive: true}]
 *   client -> PING  ["PING", client_hostname, shared_key_salt, hex(sha512(salt + client_hostname
 *                    + nonce + shared_key)), username, password_digest]
 *   server -> PONG  ["PONG", true, "", server_hostname, hex(sha512(salt + server_hostname + nonce
 *                    + shared_key))]   or   ["PONG", false, reason, "", ""] before closing.
 * User authentication (a non-empty auth salt) is not offered. Pure apart from random nonces.
 */

import { createHash, randomBytes } from "node:crypto";
import { describe } from "./events.ts";
import { packMsgpack } from "./msgpack.ts";

/** The server's side of the handshake. */
export interface HandshakeConfig {
  sharedKey: string;
  /** Our hostname in PONG (clients refuse a PONG carrying their own). */
  selfHostname: string;
}

/** A fresh nonce for one connection's HELO. */
export function newNonce(): Uint8Array {
  return new Uint8Array(randomBytes(16));
}

/** The HELO message offering `nonce`. */
export function helo(nonce: Uint8Array): Uint8Array {
  return packMsgpack(["HELO", { nonce, auth: "", keepalive: true }]);
}

/** What to answer a PING: the PONG bytes, and whether the client may send events. */
export interface PingAnswer {
  ok: boolean;
  pong: Uint8Array;
  /** Why the client was refused (empty when ok). */
  reason: string;
}

/** Checks a PING against the nonce we sent and the shared key. */
export function answerPing(v: unknown, nonce: Uint8Array, cfg: HandshakeConfig): PingAnswer {
  const refuse = (reason: string): PingAnswer => ({ ok: false, reason, pong: packMsgpack(["PONG", false, reason, "", ""]) });
  if (!Array.isArray(v) || v[0] !== "PING" || v.length !== 6) return refuse(`expected PING [\"PING\", hostname, salt, digest, username, password], got ${describe(v)}`);
  const [, hostname, salt, digest] = v as unknown[];
  if (!isText(hostname) || !isText(salt) || !isText(digest)) return refuse("PING hostname, salt and digest must be strings");
  const expected = sha512Hex(salt, hostname, nonce, cfg.sharedKey);
  if (text(digest) !== expected) return refuse("shared key mismatch");
  return { ok: true, reason: "", pong: packMsgpack(["PONG", true, "", cfg.selfHostname, sha512Hex(salt, cfg.selfHostname, nonce, cfg.sharedKey)]) };
}

/** hex(sha512(parts concatenated)); strings as UTF-8. */
export function sha512Hex(...parts: (string | Uint8Array)[]): string {
  const h = createHash("sha512");
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

function isText(v: unknown): v is string | Uint8Array {
  return typeof v === "string" || v instanceof Uint8Array;
}

function text(v: string | Uint8Array): string {
  return typeof v === "string" ? v : new TextDecoder().decode(v);
}
