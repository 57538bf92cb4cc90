/**
 * The C library through bun:ffi, for the few system calls Bun has no API for (sd_notify's
 * datagram, SO_PEERCRED). Tries glibc, then musl (Alpine), then the unversioned name; throws
 * with every reason when none loads. Callers cache what they get.
 */

import { dlopen, type FFIFunction } from "bun:ffi";

/** `symbols` bound from libc. */
export function openLibc<S extends Record<string, FFIFunction>>(symbols: S, purpose: string): ReturnType<typeof dlopen<S>>["symbols"] {
  const arch = process.arch === "arm64" ? "aarch64" : "x86_64";
  const errors: string[] = [];
  for (const name of ["libc.so.6", `libc.musl-${arch}.so.1`, "libc.so"]) {
    try {
      return dlopen(name, symbols).symbols;
    } catch (err) {
      errors.push(`${name}: ${(err as Error).message}`);
    }
  }
  throw new Error(`cannot load libc for ${purpose} (${errors.join("; ")})`);
}
