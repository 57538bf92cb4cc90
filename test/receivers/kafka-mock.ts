/**
 * librdkafka's mock cluster, a real Kafka-protocol broker, started by kcat as the shared
 * fixtures README says (`kcat -b 127.0.0.1:1 -X test.mock.num.brokers=1 -P`, the bootstrap
 * address read from its first log line), plus producing with kcat (`-K:` keys, `-H` headers,
 * `-z` codecs), and reading a group's committed offsets back with a kafkajs admin client. Topics
 * are created on first use with 4 partitions. Dispose kills kcat.
 */

import { Kafka, logLevel } from "kafkajs";
import { hasCommand, run } from "./support.ts";

export const KCAT = hasCommand("kcat");

export interface MockCluster extends AsyncDisposable {
  /** "127.0.0.1:PORT" */
  bootstrap: string;
}

/** Starts a one-broker mock cluster; resolves once it printed its address. */
export async function startMockCluster(): Promise<MockCluster> {
  const proc = Bun.spawn(["kcat", "-b", "127.0.0.1:1", "-X", "test.mock.num.brokers=1", "-P", "-t", "mock-boot"], { stdin: "pipe", stdout: "ignore", stderr: "pipe" });
  let seen = "";
  const dec = new TextDecoder();
  for await (const chunk of proc.stderr) {
    seen += dec.decode(chunk, { stream: true });
    const m = /replaced with (127\.0\.0\.1:\d+)/.exec(seen);
    if (m) {
      return {
        bootstrap: m[1]!,
        async [Symbol.asyncDispose]() {
          proc.kill(9);
          await proc.exited;
        },
      };
    }
  }
  throw new Error(`kcat did not start a mock cluster: ${seen}`);
}

/** Produces `lines` ("key:value" each) to `topic` with kcat, optionally compressed, with headers, to one partition. */
export async function produce(bootstrap: string, topic: string, lines: string[], opts: { codec?: string; headers?: string[]; partition?: number } = {}): Promise<void> {
  const args = ["kcat", "-b", bootstrap, "-P", "-t", topic, "-K:", ...(opts.partition === undefined ? [] : ["-p", String(opts.partition)]), ...(opts.codec ? ["-z", opts.codec] : []), ...(opts.headers ?? []).flatMap((h) => ["-H", h])];
  await run(args, lines.join("\n") + "\n");
}

/** Committed offsets of `group` on `topic`, by partition (only partitions with a commit). */
export async function committed(bootstrap: string, group: string, topic: string): Promise<Record<number, string>> {
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return Object.fromEntries(t!.partitions.filter((p) => p.offset !== "-1").map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}
