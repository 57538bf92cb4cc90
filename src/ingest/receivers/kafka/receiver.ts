/**
 * Kafka receiver: a kafkajs consumer in a consumer group, on topics by list (the URL path) or
 * by regular expression (topicPattern). Each fetched batch of a partition is queued as one
 * window, and its offset is committed to Kafka only once its records are durable
 * (at-least-once: a crash between the two delivers the window again). Several servers with the
 * same `group` share the partitions. A batch's offset is resolved as soon as its records are
 * queued, so kafkajs fetches the partition's next batch while this one becomes durable; the
 * commits follow in offset order per partition, each once its window is durable. Where a
 * partition was stored by this server before (positions in DATA/receiver-positions.sqlite,
 * settled against the stores after a crash), redelivered messages are counted as duplicates —
 * and stored again: never skipped, so a topic recreated under the same name cannot lose
 * records (a second crash inside such a window moves the stored mark only by its records
 * past the mark). A failed append seeks back to the last durable offset: batches fetched
 * ahead of it are stale and dropped unqueued; windows queued behind the failed one are never
 * committed, but the appends after it may store their records — those offsets are
 * remembered, and the first batch fetched after the seek waits until every window queued
 * before it has settled, so their redelivery is counted as duplicates (in memory only: after
 * a crash they are stored again uncounted). Batches that wait (for that, or for room in the
 * ingest queue) heartbeat meanwhile, so a slow append costs no rebalance.
 * Options: group (gastrolog), start (latest | earliest, for a group without committed
 * offsets), topicPattern, clientId, tls, caFile, certFile, keyFile, sasl (plain,
 * scram-sha-256, scram-sha-512), saslUsername, saslPassword, sessionTimeoutMs (30000),
 * partitionsConcurrently (4), connectTimeoutMs (3000). kafkajs 2.2.4 is patched
 * (patches/kafkajs@2.2.4.patch): its request queue armed a timer with a negative delay, which
 * Bun reports as a TimeoutNegativeWarning line on stderr, breaking JSON logs.
 */

import { readFileSync } from "node:fs";
import type { Consumer, EachBatchPayload, KafkaConfig, SASLOptions } from "kafkajs";
import { errorMessage, LogError } from "../../../core/errors.ts";
import { settlesWithin } from "../../../core/settles.ts";
import type { Checkpointer, Draft } from "../../checkpoint/checkpointer.ts";
import type { SourceRow } from "../../checkpoint/positions.ts";
import { boolOption, checkOptionKeys, enumOption, intOption, regexOption, stringOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { SourceReceiver, type RunningSource } from "../source-receiver.ts";
import { messageDraft } from "./message.ts";

const OPTIONS = {
  group: "string",
  start: "string",
  topicPattern: "string",
  clientId: "string",
  tls: "bool",
  caFile: "string",
  certFile: "string",
  keyFile: "string",
  sasl: "string",
  saslUsername: "string",
  saslPassword: "string",
  sessionTimeoutMs: "int",
  partitionsConcurrently: "int",
  connectTimeoutMs: "int",
} as const;
/** kafkajs logLevel.ERROR: its errors become rate-limited read warnings. */
const KAFKAJS_LOG_ERROR = 1;
const SASL = ["none", "plain", "scram-sha-256", "scram-sha-512"] as const;

export class KafkaReceiver extends SourceReceiver {
  private readonly brokers: string[];
  private readonly topics: (string | RegExp)[];
  private readonly group: string;
  private readonly fromBeginning: boolean;
  private readonly kafkaConfig: KafkaConfig;
  private readonly sessionTimeout: number;
  /** The consumer's heartbeat interval, also the beat of a batch that waits. */
  private readonly heartbeatMs: number;
  private readonly concurrency: number;
  private consumer: Consumer | undefined;
  /** Per partition (`topic:partition`), the last queued window's commit to Kafka, in order. */
  private readonly commits = new Map<string, Promise<void>>();
  /**
   * Per partition, offsets stored by windows that a failed append left uncommitted (queued
   * behind it): their redelivery after the seek is counted as duplicates. Pruned by commits.
   */
  private readonly storedAhead = new Map<string, Set<number>>();
  /** Per rewound partition, its commit chain at the failure: the next batch waits for it. */
  private readonly rewound = new Map<string, Promise<void> | undefined>();
  /** Set while stopping: batches fetched from then on wait for it and queue nothing. */
  private holdBatches: Promise<void> | undefined;

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx, { schemes: ["kafka"], expected: "kafka://HOST:PORT[,HOST:PORT]/TOPIC[,TOPIC]", options: OPTIONS });
    const c = this.config;
    const a = this.addresses[0]!;
    if (this.addresses.length > 1 || a.scheme !== "kafka") throw new LogError("invalid_argument", `receiver ${c.id}: kafka takes one kafka:// URL (brokers and topics are comma lists inside it)`);
    checkOptionKeys(c, Object.keys(OPTIONS));
    const pattern = regexOption(c, "topicPattern");
    this.brokers = a.brokers;
    this.topics = [...a.topics, ...(pattern ? [pattern] : [])];
    if (this.topics.length === 0) throw new LogError("invalid_argument", `receiver ${c.id}: name topics in the URL (kafka://HOST:PORT/TOPIC[,TOPIC]) or set option topicPattern`);
    this.group = stringOption(c, "group", "gastrolog");
    this.fromBeginning = enumOption(c, "start", ["latest", "earliest"] as const, "latest") === "earliest";
    this.sessionTimeout = intOption(c, "sessionTimeoutMs", 30_000, 6000, 300_000);
    this.heartbeatMs = Math.floor(this.sessionTimeout / 10);
    this.concurrency = intOption(c, "partitionsConcurrently", 4, 1, 1024);
    this.kafkaConfig = {
      brokers: this.brokers,
      clientId: stringOption(c, "clientId", "gastrolog"),
      connectionTimeout: intOption(c, "connectTimeoutMs", 3000, 100, 120_000),
      retry: { retries: 3, initialRetryTime: 300 },
      logLevel: KAFKAJS_LOG_ERROR,
      logCreator: () => (e) => this.readProblem(`kafka ${e.namespace}: ${e.log.message}`),
    };
    const ssl = tlsOptions(c);
    if (ssl) this.kafkaConfig.ssl = ssl;
    const sasl = saslOptions(c);
    if (sasl) this.kafkaConfig.sasl = sasl;
  }

  protected override async startSource(cp: Checkpointer): Promise<RunningSource> {
    // kafkajs is loaded by the servers that run a Kafka receiver only.
    const [{ Kafka }, { registerKafkaCodecs }] = await Promise.all([import("kafkajs"), import("./codecs.ts")]);
    registerKafkaCodecs();
    const consumer = new Kafka(this.kafkaConfig).consumer({ groupId: this.group, sessionTimeout: this.sessionTimeout, heartbeatInterval: this.heartbeatMs, allowAutoTopicCreation: false });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: this.topics, fromBeginning: this.fromBeginning });
    } catch (err) {
      await consumer.disconnect().catch(() => {});
      if (err instanceof Error && err.name === "KafkaJSSASLAuthenticationError") throw new LogError("unavailable", `the Kafka brokers ${this.brokers.join(",")} refused the credentials (${errorMessage(err)}); check the options sasl, saslUsername and saslPassword`);
      throw new LogError("unavailable", `cannot reach the Kafka brokers ${this.brokers.join(",")} or subscribe to ${this.topics.map(String).join(",")} (${errorMessage(err)}); check that the brokers are up at those addresses, the topics exist, and the tls/sasl options`);
    }
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const parts = Object.entries(e.payload.memberAssignment).map(([t, ps]) => `${t}[${ps.join(",")}]`);
      this.report("info", "started", `joined consumer group ${this.group}, assigned ${parts.length > 0 ? parts.join(" ") : "no partitions"}`);
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) this.crashed(e.payload.error);
    });
    this.consumer = consumer;
    const base = { receiver: this.id };
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: this.concurrency, eachBatch: (p) => this.batch(cp, consumer, base, p) });
    return {
      stop: async () => {
        // New batches are held (not queued) while the windows already queued commit their
        // offsets once durable; then the consumer leaves the group (kafkajs waits for the
        // held batches, released first).
        let release = () => {};
        this.holdBatches = new Promise((r) => (release = r));
        await Promise.all(this.commits.values());
        release();
        this.consumer = undefined;
        await consumer.disconnect();
        this.holdBatches = undefined;
      },
    };
  }

  /**
   * One fetched batch of one partition: queued, its offset resolved so the next fetch starts
   * now, and committed to Kafka once durable (after the partition's earlier commits).
   */
  private async batch(cp: Checkpointer, consumer: Consumer, base: Readonly<Record<string, string>>, p: EachBatchPayload): Promise<void> {
    if (this.holdBatches) return this.holdBatches;
    const { topic, partition, messages } = p.batch;
    const source = `${topic}:${partition}`;
    if (this.rewound.has(source)) {
      // Windows queued before the seek settle first, so storedAhead holds what they stored;
      // a batch dropped while it waits leaves the wait to the next one.
      const settling = this.rewound.get(source);
      if (settling !== undefined && !(await this.waitBeating(settling, p))) return;
      if (this.rewound.get(source) === settling) this.rewound.delete(source);
    }
    // A partition new to this server, or one another server read past, starts at its first
    // fetched offset: where a failed append rewinds to (redelivered offsets below it stay counted).
    const first = messages[0]?.offset;
    const known = cp.row(source);
    if (first !== undefined && (known === undefined || readTo(known) < Number(first))) cp.set(source, first, "{}");
    const row = cp.row(source);
    // Offsets below this were stored or queued by this server before (its positions, after
    // recovery, and the windows still pending): a rebalance refetches from the last offset
    // committed to Kafka, which lags the windows queued ahead, so those count too.
    const storedEnd = row ? readTo(row) : -1;
    const ahead = this.storedAhead.get(source);
    const drafts: Draft[] = [];
    const offsets: number[] = [];
    let next = -1;
    let bytes = 0;
    let duplicates = 0;
    let below = 0;
    for (const m of messages) {
      const offset = Number(m.offset);
      if (offset < storedEnd) below++;
      if (offset < storedEnd || ahead?.has(offset)) duplicates++;
      offsets.push(offset);
      drafts.push(messageDraft(base, topic, partition, m));
      bytes += (m.value?.length ?? 0) + (m.key?.length ?? 0);
      next = offset + 1;
    }
    this.counters.bytes += bytes;
    if (next < 0 || !p.isRunning() || p.isStale()) return;
    while (this.pipeline.full) if (!(await this.waitBeating(this.pipeline.whenSpace(), p))) return;
    if (this.holdBatches) return this.holdBatches;
    // A failed append may have rewound the partition while this batch waited: it is stale then.
    if (!p.isRunning() || p.isStale()) return;
    // Counted once queued: a batch dropped above stores nothing twice.
    this.counters.duplicates += duplicates;
    // The window ends at the partition's high mark when it was read again below it: the
    // position never moves back, so what was stored past this window stays counted; and if a
    // crash leaves it partly stored, only its records past the mark add to the row's skip.
    const firstSeq = this.pipeline.lastSeq + 1;
    const durable = cp.push(source, drafts, String(Math.max(next, storedEnd)), undefined, below);
    p.resolveOffset(String(next - 1));
    const previous = this.commits.get(source);
    const commit = (async () => {
      const ok = await durable;
      await previous;
      // A failed append rewound the partition (rewind below): nothing to commit, but what of
      // this window the appends stored will be fetched again.
      if (!ok) return this.noteStoredAhead(source, offsets, firstSeq);
      this.pruneStoredAhead(source, next);
      try {
        await consumer.commitOffsets([{ topic, partition, offset: String(next) }]);
        this.counters.acked += drafts.length;
      } catch (err) {
        // Not committed (a rebalance took the partition, the broker went away): its next owner
        // reads these records again from the last commit, and they are stored twice.
        this.readProblem(`kafka ${source}: committing offset ${next} failed (${errorMessage(err)}); the records are stored and will be delivered again`);
      }
    })();
    this.commits.set(source, commit);
    void commit.then(() => {
      if (this.commits.get(source) === commit) this.commits.delete(source);
    });
    await p.heartbeat();
  }

  /**
   * Waits for `settled` and heartbeats every heartbeat interval meanwhile, so a wait longer
   * than sessionTimeoutMs does not cost the group membership. False when the batch stopped
   * running or went stale (a seek, a rebalance) first: the caller drops it.
   */
  private async waitBeating(settled: Promise<unknown>, p: Pick<EachBatchPayload, "heartbeat" | "isRunning" | "isStale">): Promise<boolean> {
    while (!(await settlesWithin(settled, this.heartbeatMs))) {
      if (!p.isRunning() || p.isStale()) return false;
      await p.heartbeat();
    }
    return true;
  }

  /** Remembers the offsets of an uncommitted window whose records were stored (seq firstSeq + i). */
  private noteStoredAhead(source: string, offsets: readonly number[], firstSeq: number): void {
    let set = this.storedAhead.get(source);
    for (let i = 0; i < offsets.length; i++) {
      if (this.pipeline.failedWithin(firstSeq + i, firstSeq + i)) continue;
      if (set === undefined) this.storedAhead.set(source, (set = new Set()));
      set.add(offsets[i]!);
    }
  }

  /** Forgets remembered offsets below a durable window's end. */
  private pruneStoredAhead(source: string, next: number): void {
    const set = this.storedAhead.get(source);
    if (set === undefined) return;
    for (const o of set) if (o < next) set.delete(o);
    if (set.size === 0) this.storedAhead.delete(source);
  }

  /** An append failed: fetch the partition again from its last durable offset. */
  protected override rewind(row: Readonly<SourceRow>): void {
    this.rewound.set(row.source, this.commits.get(row.source));
    const i = row.source.lastIndexOf(":");
    this.consumer?.seek({ topic: row.source.slice(0, i), partition: Number(row.source.slice(i + 1)), offset: row.position });
  }
}

/** The offset after the last message of a partition stored or queued here (its high mark). */
function readTo(row: Readonly<SourceRow>): number {
  const last = row.pending[row.pending.length - 1];
  return Math.max(Number(row.position) + row.skip, last ? Number(last.to) : 0);
}

function tlsOptions(c: ReceiverConfig): KafkaConfig["ssl"] {
  const files = { ca: stringOption(c, "caFile", "", true), cert: stringOption(c, "certFile", "", true), key: stringOption(c, "keyFile", "", true) };
  const on = boolOption(c, "tls", false);
  if (!on) {
    if (files.ca || files.cert || files.key) throw new LogError("invalid_argument", `receiver ${c.id}: caFile, certFile and keyFile need option tls=true`);
    return undefined;
  }
  if (!files.ca && !files.cert && !files.key) return true;
  if (Boolean(files.cert) !== Boolean(files.key)) throw new LogError("invalid_argument", `receiver ${c.id}: a client certificate needs both certFile and keyFile`);
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      throw new LogError("invalid_argument", `receiver ${c.id}: reading TLS file ${JSON.stringify(path)}: ${errorMessage(err)}`);
    }
  };
  return { ...(files.ca ? { ca: read(files.ca) } : {}), ...(files.cert ? { cert: read(files.cert), key: read(files.key) } : {}) };
}

function saslOptions(c: ReceiverConfig): SASLOptions | undefined {
  const mechanism = enumOption(c, "sasl", SASL, "none");
  const username = stringOption(c, "saslUsername", "", true);
  const password = stringOption(c, "saslPassword", "", true);
  if (mechanism === "none") {
    if (username || password) throw new LogError("invalid_argument", `receiver ${c.id}: saslUsername and saslPassword need option sasl (${SASL.slice(1).join(", ")})`);
    return undefined;
  }
  if (!username || !password) throw new LogError("invalid_argument", `receiver ${c.id}: sasl ${mechanism} needs saslUsername and saslPassword`);
  return { mechanism, username, password } as SASLOptions;
}

/** Registry entry. */
export function createKafkaReceiver(config: ReceiverConfig, ctx: ReceiverContext): KafkaReceiver {
  return new KafkaReceiver(config, ctx);
}
