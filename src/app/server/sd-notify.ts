/**
 * sd_notify(3) for `Type=notify` systemd units: one datagram to the Unix socket named by
 * $NOTIFY_SOCKET (a path, or `@name` in the abstract namespace). Bun has no Unix datagram
 * sockets, so this calls libc's socket/sendto/close through bun:ffi. Without $NOTIFY_SOCKET it
 * does nothing; failures are returned as text for the caller to log, never thrown.
 */

import { FFIType, ptr, type dlopen } from "bun:ffi";
import { openLibc } from "../../core/libc.ts";

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const MSG_NOSIGNAL = 0x4000;
/** sizeof(struct sockaddr_un): sa_family_t + 108 bytes of path. */
const SOCKADDR_UN_SIZE = 110;
const SUN_PATH_MAX = 108;

const SYMBOLS = {
  socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  sendto: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i64 },
  close: { args: [FFIType.i32], returns: FFIType.i32 },
} as const;

type Libc = ReturnType<typeof dlopen<typeof SYMBOLS>>["symbols"];
let libc: Libc | undefined;

/** struct sockaddr_un for `address` and the length to pass to sendto. */
function sockaddr(address: string): { addr: Uint8Array; len: number } {
  const abstract = address.startsWith("@");
  const path = new TextEncoder().encode(abstract ? address.slice(1) : address);
  if (path.length + (abstract ? 1 : 0) >= SUN_PATH_MAX) throw new Error(`NOTIFY_SOCKET path too long: ${address}`);
  const addr = new Uint8Array(SOCKADDR_UN_SIZE);
  new DataView(addr.buffer).setUint16(0, AF_UNIX, true);
  addr.set(path, abstract ? 3 : 2);
  // Abstract names are exactly as long as given; paths end with their NUL.
  return { addr, len: 2 + (abstract ? 1 : 0) + path.length + (abstract ? 0 : 1) };
}

/**
 * Sends `state` (e.g. "READY=1", "STOPPING=1", "STATUS=...") to $NOTIFY_SOCKET of `env`.
 * Returns undefined when sent or when there is no socket to send to, else the error text.
 */
export function sdNotify(state: string, env: Record<string, string | undefined>): string | undefined {
  const address = env.NOTIFY_SOCKET;
  if (!address) return undefined;
  if (!address.startsWith("/") && !address.startsWith("@")) return `unsupported NOTIFY_SOCKET ${JSON.stringify(address)} (a path or @name)`;
  try {
    libc ??= openLibc(SYMBOLS, "sd_notify");
    const { addr, len } = sockaddr(address);
    const fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return "sd_notify: socket() failed";
    const msg = new TextEncoder().encode(state);
    const sent = Number(libc.sendto(fd, ptr(msg), msg.length, MSG_NOSIGNAL, ptr(addr), len));
    libc.close(fd);
    return sent === msg.length ? undefined : `sd_notify: sendto ${address} failed`;
  } catch (err) {
    return (err as Error).message;
  }
}
