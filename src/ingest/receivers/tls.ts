/**
 * A receiver's TLS settings as the shared policy (security/tls.ts) takes them, and loaded into
 * the options Bun.listen, Bun.serve and node's TLS servers take. Files are read at bind time
 * so a restart picks up renewed certificates.
 */

import { loadTls as loadTlsFiles, type TlsFiles, type TlsMaterial } from "../../security/tls.ts";
import type { ReceiverTlsConfig } from "./receiver.ts";

/** The receiver's TLS block in the shared policy's terms. */
export function tlsFiles(t: ReceiverTlsConfig): TlsFiles {
  return { cert: t.certFile, key: t.keyFile, ca: t.caFile, clientAuth: t.clientAuth ?? "none" };
}

/**
 * Reads the PEM files; throws LogError("invalid_argument") naming the unreadable file.
 * `libraryRejects`: node servers let OpenSSL refuse clients under "require" (see loadTls there).
 */
export function loadTls(t: ReceiverTlsConfig, libraryRejects = false): TlsMaterial {
  return loadTlsFiles(tlsFiles(t), libraryRejects);
}
