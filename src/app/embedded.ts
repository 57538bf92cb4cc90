/**
 * `repl --embedded` composed: the engine in this process behind the in-process transport, so
 * the REPL talks to exactly the services a server offers. Plain FILEs are read in place by a
 * text file store "default" (no import: the first answer comes from a scan) that keeps
 * reading them as they grow or rotate, so `follow` is live; .gz/.zst/stdin or --index import
 * them into a memory store instead (embedded-memory.ts); --data uses that directory's file
 * stores (embedded-data.ts); with neither files nor --data, the chatterbox demo fills a memory
 * store. Only the mode in use is loaded. close() stops receivers, then stores.
 */

import type { Transport } from "@connectrpc/connect";
import type { HostStore } from "../api/host.ts";
import { LocalHost } from "../api/local-host.ts";
import { createInProcessTransport } from "../api/in-process-transport.ts";
import { systemClock } from "../core/time.ts";
import { importTimestampContext, isPlainPath } from "../ingest/import/defaults.ts";
import { parseLeadingTimestamp } from "../ingest/parse/timestamp.ts";
import { openTextFileStore } from "../storage/textfile/text-store.ts";
import { versionInfo } from "./build-info.ts";
import { searchSource } from "./search-source.ts";

export interface EmbeddedOptions {
  /** File stores under this directory; undefined = memory. */
  dataDir?: string;
  files: string[];
  /**
   * Import FILEs into memory and build indexes as chunks seal, instead of reading them in
   * place. Off by default: importing and indexing 140 MB takes about 1.8 s, while reading the
   * file in place answers a first query in about 0.3 s and later ones in about 0.06 s.
   */
  index: boolean;
  /** Draw a progress bar on stderr (a terminal). */
  progress: boolean;
  stderr: (text: string) => void;
  /** Aborted on Ctrl-C: stops an import in progress. */
  signal: AbortSignal;
}

export interface EmbeddedEngine {
  transport: Transport;
  /** What was opened or imported, for the banner. */
  banner: string[];
  close(): Promise<void>;
}

const readOnlySettings = (files: string[]): HostStore["settings"] => ({
  kind: "file",
  dir: files.join(", "),
  rotation: { maxBytes: 0, maxRecords: 0, maxAgeMicros: 0 },
  durability: { kind: "never" },
  route: "",
});

/** Plain FILEs read in place as store "default": nothing is imported, queries scan the files. */
function openInPlace(o: EmbeddedOptions): EmbeddedEngine {
  const now = systemClock();
  const ctx = importTimestampContext(now);
  const store = openTextFileStore("default", o.files, { clock: systemClock, follow: true, parseTimestamp: (buf, start, end) => parseLeadingTimestamp(buf, start, end, ctx) });
  const host = new LocalHost({ stores: [{ name: "default", source: searchSource("default", store), settings: readOnlySettings(o.files) }], version: versionInfo() });
  host.markReady();
  const mb = (store.bytes / 1e6).toFixed(1);
  return {
    transport: createInProcessTransport(host),
    banner: [`embedded, reading ${o.files.length} file(s) in place (${mb} MB) as store 'default', following them as they grow ('follow'): no import, no indexes (--index imports and indexes them)`],
    async close() {
      host.beginDrain();
      await store.close();
      host.markStopped();
    },
  };
}

/** Opens the embedded engine for `o`; compressed FILEs, stdin and --index FILEs are imported before it returns. */
export async function openEmbedded(o: EmbeddedOptions): Promise<EmbeddedEngine> {
  if (o.dataDir !== undefined) return (await import("./embedded-data.ts")).openDataDir(o.dataDir, o);
  if (o.files.length > 0 && !o.index && o.files.every(isPlainPath)) return openInPlace(o);
  return (await import("./embedded-memory.ts")).openMemory(o);
}
