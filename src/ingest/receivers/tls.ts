/**
 * Loads a receiver's TLS settings into the options object Bun.listen and Bun.serve take.
 * Files are read at bind time so a restart picks up renewed certificates.
 */

import { readFileSync } from "node:fs";
import { LogError, errorMessage } from "../../core/errors.ts";
import type { ReceiverTlsConfig } from "./receiver.ts";

/** Bun TLS options (subset we use). */
export interface BunTlsOptions {
  cert: string;
  key: string;
  ca?: string;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
}

/** Reads the PEM files; throws LogError("invalid_argument") naming the unreadable file. */
export function loadTls(tls: ReceiverTlsConfig): BunTlsOptions {
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      throw new LogError("invalid_argument", `reading TLS file ${JSON.stringify(path)}: ${errorMessage(err)}`);
    }
  };
  const out: BunTlsOptions = { cert: read(tls.certFile), key: read(tls.keyFile) };
  if (tls.caFile) out.ca = read(tls.caFile);
  if (tls.requireClientCert) {
    out.requestCert = true;
    out.rejectUnauthorized = true;
  }
  return out;
}
