/**
 * The receiver bench's messages, shared by its load generator (sender.ts) and the seal profile's
 * HTTP capture (bench/storage/seal-profile.ts): a realistic RFC 5424 syslog line and the NDJSON
 * object the HTTP mode posts, each with a unique sequence number.
 */

/** A realistic ~150-byte RFC 5424 message with a unique sequence number. */
export function message(i: number): string {
  return `<134>1 2026-01-15T10:00:00.${String(i % 1_000_000).padStart(6, "0")}Z web-01 nginx 1234 ID47 [origin ip="10.0.0.${i % 200}"] GET /api/v1/items/${i % 977} 200 1534 0.012 "Mozilla/5.0"`;
}

/** NDJSON line `i` of the HTTP mode: the message after its syslog header, and a per-record `seq`. */
export function ndjsonLine(i: number): string {
  return JSON.stringify({ message: message(i).slice(62), level: "info", service: "web", seq: i });
}
