/**
 * The compressed record batches kafkajs cannot read by itself (it has gzip built in): snappy
 * through kafkajs-snappy (pure JS over snappyjs, xerial framing from Java producers and raw
 * blocks from librdkafka), lz4 frames through lz4js, zstd through Bun's built-in zstd. All pure
 * JS or built in, so they work inside the compiled binary — the native codec packages
 * (kafkajs-lz4 over `lz4`, @kafkajs/zstd over `cppzst`) need node-gyp addons that `bun build
 * --compile` cannot embed. Registered once, process-wide, in kafkajs's codec table.
 */

import { CompressionCodecs, CompressionTypes } from "kafkajs";
import createSnappyCodec from "kafkajs-snappy";

/** A kafkajs codec: decompress must hand back a Buffer (kafkajs decodes with Buffer methods). */
interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

let registered = false;

/** Registers snappy, lz4 and zstd with kafkajs (idempotent). */
export function registerKafkaCodecs(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.Snappy] = createSnappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = (): Codec => ({
    async compress(encoder) {
      const { compress } = await import("lz4js");
      return Buffer.from(compress(encoder.buffer));
    },
    async decompress(buffer) {
      const { decompress } = await import("lz4js");
      return Buffer.from(decompress(buffer));
    },
  });
  CompressionCodecs[CompressionTypes.ZSTD] = (): Codec => ({
    compress: async (encoder) => Buffer.from(Bun.zstdCompressSync(encoder.buffer)),
    decompress: async (buffer) => Buffer.from(Bun.zstdDecompressSync(buffer)),
  });
}
