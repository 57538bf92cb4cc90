// The reference Kafka consumer: kafkajs (the client the kafka receiver runs) in a new consumer
// group from the earliest offset, each batch discarded and its offset committed, the same
// settings as the receiver (eachBatch, 4 partitions at once). node kafka-load.cjs BROKER TOPIC COUNT
// Prints {"sent":N,"seconds":S}, S from the first message to the COUNT-th (group join excluded).
const { Kafka, logLevel } = require("kafkajs");
const [broker, topic, count] = process.argv.slice(2);
const n = Number(count);
const consumer = new Kafka({ brokers: [broker], logLevel: logLevel.NOTHING }).consumer({ groupId: `ref-${process.pid}`, allowAutoTopicCreation: false });
let got = 0;
let t0 = 0;
(async () => {
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      if (t0 === 0) t0 = performance.now();
      const last = batch.messages[batch.messages.length - 1];
      if (!last) return;
      got += batch.messages.length;
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(last.offset) + 1) }]);
      resolveOffset(last.offset);
      await heartbeat();
      if (got >= n) {
        console.log(JSON.stringify({ sent: got, seconds: (performance.now() - t0) / 1000 }));
        process.exit(0);
      }
    },
  });
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
