/**
 * TLS and mTLS policy shared by the API listener and every TLS receiver: PEM files read into
 * options, and what to do with a client certificate. clientAuth "none" asks for none;
 * "request" asks, accepts a client without one, and refuses one that does not verify against
 * `ca` (bad CA, expired, ...); "require" refuses a client without a verifying certificate.
 * Refusals carry a short reason label (metrics) and the TLS library's message (logs). A
 * verified certificate yields its subjects (CN=..., DNS:..., URI:..., IP:...), which may map to
 * a token identity.
 */

import { readFileSync } from "node:fs";
import { errorMessage, LogError } from "../core/errors.ts";

export type ClientAuth = "none" | "request" | "require";

/** PEM file paths and the client-certificate policy. */
export interface TlsFiles {
  cert: string;
  key: string;
  /** CA bundle that signs client certificates ("" or absent: none). */
  ca?: string;
  clientAuth: ClientAuth;
}

/** PEM contents and the verify flags for Bun.listen, Bun's node:tls and node:https/http2. */
export interface TlsMaterial {
  cert: string;
  key: string;
  ca?: string;
  requestCert: boolean;
  /**
   * Left to the TLS library only for "require" on node servers (it then sends the alert, and
   * `tlsClientError` says why); "request" — and Bun.listen always — decide after the handshake.
   */
  rejectUnauthorized: boolean;
}

/** Reads the PEM files; throws LogError("invalid_argument") naming the unreadable one. */
export function loadTls(files: TlsFiles, libraryRejects = false): TlsMaterial {
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      throw new LogError("invalid_argument", `reading TLS file ${JSON.stringify(path)}: ${errorMessage(err)}`);
    }
  };
  const out: TlsMaterial = { cert: read(files.cert), key: read(files.key), requestCert: files.clientAuth !== "none", rejectUnauthorized: libraryRejects && files.clientAuth === "require" };
  if (files.ca) out.ca = read(files.ca);
  if (files.clientAuth !== "none" && !out.ca) throw new LogError("invalid_argument", `clientAuth "${files.clientAuth}" needs a CA bundle (ca) to verify client certificates`);
  return out;
}

/** What a finished handshake showed about the client. */
export interface HandshakeFacts {
  authorized: boolean;
  /** The library's verification error (code and message), when not authorized. */
  error?: { code?: string; message: string } | null;
  /** The peer certificate as node/Bun return it ({} or null when none). */
  peer?: PeerCert | null;
}

/** The subset of node's PeerCertificate used here. */
export interface PeerCert {
  subject?: { CN?: string | string[] };
  subjectaltname?: string;
}

export type Verdict = { ok: true; subjects: string[] } | { ok: false; reason: string; message: string };

/** Decides about a client after its handshake, under `mode`. */
export function judgeClient(mode: ClientAuth, f: HandshakeFacts): Verdict {
  if (mode === "none") return { ok: true, subjects: [] };
  const presented = hasCert(f.peer);
  if (!presented) return mode === "require" ? refusal("ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE", "no client certificate was presented") : { ok: true, subjects: [] };
  if (!f.authorized) return refusal(f.error?.code, f.error?.message ?? "the client certificate did not verify");
  return { ok: true, subjects: certSubjects(f.peer!) };
}

/** A refusal from a TLS library error (node's tlsClientError, Bun's handshake error). */
export function refusal(code: string | undefined, message: string): { ok: false; reason: string; message: string } {
  return { ok: false, reason: reasonOf(code), message: code ? `${message} (${code})` : message };
}

/** Metric label for a verification error code (handshake_failed: not a certificate problem). */
export function reasonOf(code: string | undefined): string {
  switch (code) {
    case "CERT_HAS_EXPIRED":
      return "expired";
    case "CERT_NOT_YET_VALID":
      return "not_yet_valid";
    case "ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE":
      return "no_certificate";
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "CERT_SIGNATURE_FAILURE":
      return "unknown_ca";
    default:
      return code !== undefined && code.includes("CERT") ? "invalid_certificate" : "handshake_failed";
  }
}

function hasCert(peer: PeerCert | null | undefined): boolean {
  return peer !== null && peer !== undefined && (peer.subject !== undefined || peer.subjectaltname !== undefined);
}

/** CN=... plus every subjectAltName entry (DNS:x, URI:y, IP Address:z as IP:z, email:...). */
export function certSubjects(peer: PeerCert): string[] {
  const out: string[] = [];
  const cn = peer.subject?.CN;
  for (const c of Array.isArray(cn) ? cn : cn ? [cn] : []) out.push(`CN=${c}`);
  for (const part of (peer.subjectaltname ?? "").split(",")) {
    const s = part.trim().replace(/^IP Address:/, "IP:");
    if (s !== "") out.push(s);
  }
  return out;
}

/** A refused client: the metric label, the message for the log, and the peer's address. */
export interface Rejection {
  reason: string;
  message: string;
  remote: string;
}

/** The node:tls view of a secure socket (node:tls TLSSocket, also Bun's). */
interface NodeTlsSocket {
  authorized: boolean;
  authorizationError?: Error | string | null;
  remoteAddress?: string;
  getPeerCertificate(): PeerCert | null;
  destroy(): void;
}

/**
 * Applies `mode` to a node:tls-based server (tls.Server, https, http2 secure): "require" is
 * enforced by the library (loadTls(files, true)) and its refusals come from `tlsClientError`;
 * "request" is judged here after the handshake. Every refusal reaches `onReject`; the returned
 * function judges an accepted socket (false: it was refused and destroyed), else gives the
 * verified certificate's subjects.
 */
export function guardNodeTls(server: { on(event: "tlsClientError", fn: (err: Error & { code?: string }, sock: { remoteAddress?: string }) => void): unknown }, mode: ClientAuth, onReject: (r: Rejection) => void): (sock: NodeTlsSocket) => string[] | false {
  server.on("tlsClientError", (err, sock) => {
    const v = refusal(err.code, err.message);
    onReject({ reason: v.reason, message: v.message, remote: sock?.remoteAddress ?? "" });
  });
  return (sock) => {
    const e = sock.authorizationError;
    const error = !e ? null : typeof e === "string" ? { code: e, message: "the client certificate did not verify" } : { code: (e as { code?: string }).code, message: e.message };
    const v = judgeClient(mode, { authorized: sock.authorized, error, peer: sock.getPeerCertificate() });
    if (v.ok) return v.subjects;
    onReject({ reason: v.reason, message: v.message, remote: sock.remoteAddress ?? "" });
    sock.destroy();
    return false;
  };
}
