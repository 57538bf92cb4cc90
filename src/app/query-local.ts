/**
 * `gastrolog query` without a server: the data directory's stores opened in this process and
 * searched by the code behind a server's QueryService (api/services/query-core.ts), called
 * directly as the in-process caller, so no Connect, generated API or protobuf is loaded. Values
 * come back as a server's would read back (hits as Hit messages, plans through the proto plan,
 * table times as int64 µs) and errors as the API reports them. A named store is opened alone;
 * "*" opens every configured file store found on disk, which is what a server holding the
 * directory would search. A store another live process writes (an import) is read as of
 * now, without writing in it (stores.ts openStoreToRead); the link's notices say so.
 */

import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { LocalHost } from "../api/local-host.ts";
import { ALL_STORES } from "../api/services/stores.ts";
import { errorMessage, LogError } from "../core/errors.ts";
import type { Cell, Column, Table } from "../core/table.ts";
import { toQueryPlanPb } from "../api/convert/plan.ts";
import type { Query } from "../api/gen/gastrolog/v1/query_pb.ts";
import { inProcessCall } from "../api/principal.ts";
import { QueryCore } from "../api/services/query-core.ts";
import { renderExplain } from "../query/engine/explain-text.ts";
import { fromQueryPlanPb } from "./query-convert.ts";
import { storeRuntime, type StoreRuntime } from "../config/runtime.ts";
import { defaultConfig } from "../config/schema.ts";
import { versionInfo } from "./build-info.ts";
import { storeDir } from "./paths.ts";
import type { QueryFields, QueryLink, SearchPage } from "./query-target.ts";
import { createMemoryStore } from "../storage/memory/memory-store.ts";
import { hostStore, openStoreToRead, type OpenedStore, type ReadStore } from "./stores.ts";
import { searchSource } from "./search-source.ts";

/** Settings of a store the config does not name (the defaults of a file store). */
function unconfigured(name: string): StoreRuntime {
  return storeRuntime({ ...defaultConfig().stores[0]!, name, route: "" });
}

/**
 * The stores to open; `empty` for a configured store that never stored a record (it has no
 * directory, and none is created: it reads as an empty memory store). An unknown store is a
 * not_found error naming the known ones.
 */
async function storesToOpen(dataDir: string, store: string): Promise<{ rt: StoreRuntime; empty: boolean }[]> {
  if (store !== ALL_STORES) {
    const { readableStore } = await import("./data-dir.ts");
    return [{ rt: unconfigured(store), empty: readableStore(dataDir, store) === "empty" }];
  }
  const { readConfig } = await import("./config-access.ts");
  const configured = readConfig(dataDir, (s) => s.current().config.stores);
  return configured.filter((s) => s.type === "file" && existsSync(storeDir(dataDir, s.name))).map((s) => ({ rt: storeRuntime(s), empty: false }));
}

/** A store with no records that writes nothing anywhere (a configured store without a directory yet). */
function emptyStore(name: string): OpenedStore {
  const store = createMemoryStore(name);
  return { store, source: searchSource(name, store), reconfigure: (p) => store.reconfigure(p), close: () => store.close() };
}

/** Opens `store` of `dataDir` ("*" = every configured file store) behind an in-process QueryService. */
export async function openLocalQuery(dataDir: string, store: string): Promise<QueryLink> {
  const opened: ReadStore[] = [];
  const closeAll = async () => {
    for (const o of opened.splice(0)) await o.close();
  };
  try {
    const wanted = await storesToOpen(dataDir, store);
    for (const { rt, empty } of wanted) opened.push(empty ? emptyStore(rt.name) : await openStoreToRead(dataDir, rt.name));
    const host = new LocalHost({
      stores: wanted.map(({ rt }, i) => hostStore(dataDir, rt, opened[i]!)),
      version: versionInfo(),
    });
    host.markReady();
    const notices = wanted.flatMap(({ rt }, i) => writtenNotice(rt.name, opened[i]!));
    return { ...localLink(new QueryCore(host), dataDir, closeAll), notices };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** What to tell about a store read while another process writes it (nothing for one opened as its writer). */
function writtenNotice(name: string, o: ReadStore): string[] {
  const w = o.writer;
  if (!w) return [];
  const where = w.host === hostname() ? "" : ` on ${w.host}`;
  return [`store '${name}' is being written by pid ${w.pid}${where} (since ${w.startedAt}): results are as of now, without what it writes later`];
}

/** A failure as the API reports it: LogErrors as they are, anything else INTERNAL (api/errors.ts). */
function apiError(err: unknown): unknown {
  if (err instanceof LogError) return err;
  if (err instanceof Error && err.name === "AbortError") return new LogError("cancelled", "request cancelled");
  return new LogError("internal", `internal error: ${errorMessage(err)}`);
}

/** The Query message a server would decode from `q`. */
function queryMessage(q: QueryFields): Query {
  return { $typeName: "gastrolog.v1.Query", ...q, startUs: undefined, endUs: undefined };
}

/** A table's cells as they come back over the API (times are whole µs on the wire). */
function wireRows(t: Table): Cell[][] {
  const types = t.columns.map((c: Column) => c.type);
  return t.rows.map((r) => r.map((c, i) => (types[i] === "time" && typeof c === "number" ? Math.trunc(c) : c)));
}

/** QueryLink answered by `core` in this process (a search stops when its reader stops iterating). */
function localLink(core: QueryCore, where: string, close: () => Promise<void>): QueryLink {
  const call = () => inProcessCall(new AbortController().signal);
  return {
    where,
    async *search(q): AsyncIterable<SearchPage> {
      try {
        for await (const b of core.search(call(), queryMessage(q), 0)) {
          yield { hits: b.hits, warnings: b.warnings, done: b.done ?? false, resumeToken: b.resumeToken ?? "", truncated: b.truncated ?? "" };
        }
      } catch (err) {
        throw apiError(err);
      }
    },
    async table(q) {
      try {
        const t = await core.table(call(), queryMessage(q));
        const table = { columns: t.table.columns, rows: wireRows(t.table), truncated: t.truncated, warnings: t.warnings };
        return t.deadline === undefined ? { table } : { table, failure: new LogError("deadline_exceeded", t.deadline) };
      } catch (err) {
        throw apiError(err);
      }
    },
    async explain(q, analyze) {
      try {
        const plan = await core.explain(call(), queryMessage(q), analyze);
        return { plan: fromQueryPlanPb(toQueryPlanPb(plan)), text: renderExplain(plan) };
      } catch (err) {
        throw apiError(err);
      }
    },
    close,
  };
}
