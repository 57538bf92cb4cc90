/** Message limits shared by the server, the in-process transports and the clients. */

/** Largest message accepted: 16 MiB (a 1 MiB record limit leaves room for batches). */
export const READ_MAX_BYTES = 16 << 20;
