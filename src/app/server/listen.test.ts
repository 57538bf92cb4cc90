/**
 * The API's Unix socket: created 0600, and its narrow umask is process-wide, so it must not be
 * in force while listenUnix awaits — a store directory another task creates meanwhile keeps the
 * mode the normal umask gives.
 */

import { expect, test } from "bun:test";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { tempDir } from "../../storage/file/test-helpers.ts";
import { listenUnix } from "./listen.ts";

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

test("the socket is 0600; a directory and a file created while listenUnix is pending get the normal umask's modes", async () => {
  using t = tempDir("gl-listen-");
  const server = net.createServer();
  try {
    const socket = join(t.path, "api.sock");
    const listening = listenUnix(server, socket);
    // Another task (a store being created) runs while listenUnix awaits the listen callback.
    mkdirSync(join(t.path, "store"));
    writeFileSync(join(t.path, "store", "chunk"), "x");
    await listening;
    const umask = process.umask();
    expect({ socket: mode(socket), dir: mode(join(t.path, "store")), file: mode(join(t.path, "store", "chunk")) }).toEqual({
      socket: "600",
      dir: (0o777 & ~umask).toString(8),
      file: (0o666 & ~umask).toString(8),
    });
  } finally {
    server.close();
  }
});
