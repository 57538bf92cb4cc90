/**
 * The uid of the process at the other end of a Unix socket connection (SO_PEERCRED). Bun has
 * no public API for it: its node:net sockets expose the file descriptor as `_handle.fd` (Bun
 * 1.4), and getsockopt(2) is called through bun:ffi. When either is missing (another runtime
 * version, a non-Linux system) the uid is unknown and such connections need a token.
 */

import { FFIType, ptr, type dlopen } from "bun:ffi";
import { openLibc } from "../core/libc.ts";

const SOL_SOCKET = 1;
/** Linux (x86-64 and arm64). */
const SO_PEERCRED = 17;
/** struct ucred: pid_t pid, uid_t uid, gid_t gid. */
const UCRED_SIZE = 12;

const SYMBOLS = {
  getsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
} as const;

let libc: ReturnType<typeof dlopen<typeof SYMBOLS>>["symbols"] | null | undefined;

/** The peer uid of a connected Unix socket (node:net Socket under Bun), or undefined. */
export function peerUid(socket: unknown): number | undefined {
  const fd = (socket as { _handle?: { fd?: unknown } } | undefined)?._handle?.fd;
  if (typeof fd !== "number" || fd < 0 || process.platform !== "linux") return undefined;
  if (libc === undefined) {
    try {
      libc = openLibc(SYMBOLS, "SO_PEERCRED");
    } catch {
      libc = null;
    }
  }
  if (libc === null) return undefined;
  const cred = new Uint8Array(UCRED_SIZE);
  const len = new Uint32Array([UCRED_SIZE]);
  if (libc.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ptr(cred), ptr(len)) !== 0 || len[0] !== UCRED_SIZE) return undefined;
  return new DataView(cred.buffer).getUint32(4, true);
}
