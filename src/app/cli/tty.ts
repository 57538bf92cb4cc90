/**
 * Whether a file descriptor is a terminal, without loading node:tty (its stream classes pull in
 * Node's streams, a few ms of every start): on Linux, from what /proc/self/fd/N points to —
 * /dev/pts/*, /dev/tty* and /dev/console are terminals; pipes, sockets, /dev/null and files
 * are not. Anything else, or no /proc, asks node:tty.
 */

import { readlinkSync } from "node:fs";

/** What a /proc/self/fd link target says: terminal, not one, or undefined when unsure. */
export function linkTargetIsTerminal(target: string): boolean | undefined {
  if (target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target === "/dev/console") return true;
  if (target === "/dev/null" || /^(pipe|socket|anon_inode):/.test(target)) return false;
  if (target.startsWith("/") && !target.startsWith("/dev/")) return false;
  return undefined;
}

/** True when `fd` is a terminal (isatty). */
export function isTerminal(fd: number): boolean {
  let target: string | undefined;
  try {
    target = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    target = undefined;
  }
  const known = target === undefined ? undefined : linkTargetIsTerminal(target);
  return known ?? (require("node:tty") as typeof import("node:tty")).isatty(fd);
}
