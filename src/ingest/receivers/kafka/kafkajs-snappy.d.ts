/** Types for the kafkajs-snappy package: a kafkajs codec factory (snappy, xerial framing). */
declare module "kafkajs-snappy" {
  const createSnappyCodec: () => { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
  export default createSnappyCodec;
}
