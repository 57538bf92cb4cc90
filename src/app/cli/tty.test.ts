/** isTerminal (tty.ts): /proc link targets classified, and agreement with node:tty. */

import { expect, test } from "bun:test";
import { closeSync, openSync } from "node:fs";
import { isTerminal, linkTargetIsTerminal } from "./tty.ts";

test("a /proc/self/fd link target says terminal, not one, or that node:tty must decide", () => {
  const targets = ["/dev/pts/3", "/dev/tty1", "/dev/ttyS0", "/dev/console", "/dev/null", "pipe:[81234]", "socket:[99]", "anon_inode:[eventfd]", "/tmp/out.log", "/home/u/x (deleted)", "/dev/zero", "/dev/sda"];
  expect(Object.fromEntries(targets.map((t) => [t, linkTargetIsTerminal(t)]))).toEqual({
    "/dev/pts/3": true,
    "/dev/tty1": true,
    "/dev/ttyS0": true,
    "/dev/console": true,
    "/dev/null": false,
    "pipe:[81234]": false,
    "socket:[99]": false,
    "anon_inode:[eventfd]": false,
    "/tmp/out.log": false,
    "/home/u/x (deleted)": false,
    "/dev/zero": undefined,
    "/dev/sda": undefined,
  });
});

test("isTerminal: pipes, /dev/null and /dev/zero are not terminals (as node:tty says)", async () => {
  const { isatty } = await import("node:tty");
  const fds = [openSync("/dev/null", "r"), openSync("/dev/zero", "r")];
  try {
    expect(fds.map((fd) => [isTerminal(fd), isatty(fd)])).toEqual([
      [false, false],
      [false, false],
    ]);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  // A child whose stdin and stdout are pipes.
  const child = Bun.spawn([process.execPath, "-e", `const { isTerminal } = await import(${JSON.stringify(import.meta.dir + "/tty.ts")}); console.log(JSON.stringify([isTerminal(0), isTerminal(1)]))`], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  child.stdin.end();
  const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  expect({ code, out: out.trim() }).toEqual({ code: 0, out: "[false,false]" });
});
