/**
 * A consumed Kafka message as a record draft: the value verbatim as raw (a null value — a
 * tombstone — is an empty raw), attrs `topic`, `partition`, `offset`, `key` and every header as
 * `header.<name>` (text; bytes that are not UTF-8 as `base64:...`; a repeated header's values
 * joined with ","), and the record timestamp (ms, CreateTime or LogAppendTime) as sourceTs.
 * Pure; ingestTs is set by the checkpointer.
 */

import type { Draft } from "../../checkpoint/checkpointer.ts";

/** The parts of a kafkajs message used here. */
export interface KafkaMessage {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  offset: string;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

const strict = new TextDecoder("utf-8", { fatal: true });
const EMPTY = new Uint8Array(0);

/** The record draft of one message. */
export function messageDraft(base: Readonly<Record<string, string>>, topic: string, partition: number, m: KafkaMessage): Draft {
  const attrs: Record<string, string> = { ...base, topic, partition: String(partition), offset: m.offset };
  if (m.key !== null) attrs.key = text(m.key);
  if (m.headers) {
    for (const [k, v] of Object.entries(m.headers)) {
      if (v === undefined) continue;
      attrs[`header.${k}`] = Array.isArray(v) ? v.map(text).join(",") : text(v);
    }
  }
  const ms = Number(m.timestamp);
  return { raw: m.value ?? EMPTY, attrs, sourceTs: ms > 0 ? ms * 1000 : 0, ingestTs: 0 };
}

function text(v: Buffer | string): string {
  if (typeof v === "string") return v;
  try {
    return strict.decode(v);
  } catch {
    return `base64:${v.toString("base64")}`;
  }
}
