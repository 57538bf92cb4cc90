/** Types for the snappyjs package (raw Snappy block format, pure JS). */
declare module "snappyjs" {
  /** Throws when the stream is invalid or its declared length exceeds maxLength. */
  export function uncompress<T extends Uint8Array | ArrayBuffer>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array | ArrayBuffer>(uncompressed: T): T;
}
