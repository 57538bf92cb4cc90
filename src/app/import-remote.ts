/**
 * ImportSink over a running server: each batch goes to IngestService.Append for the named
 * store, cut into requests of at most REQUEST_BYTES so every request stays well under the
 * server's 16 MiB limit, sent one after another (the server acknowledges only durable
 * appends, so its pace is the backpressure). Sealing and chunk sizes use StoreService.
 */

import { createClient } from "@connectrpc/connect";
import { IngestService } from "../api/gen/gastrolog/v1/ingest_pb.ts";
import { StoreService } from "../api/gen/gastrolog/v1/store_pb.ts";
import type { RecordInput, RecordRef } from "../core/record.ts";
import type { ImportSink } from "../ingest/import/import-files.ts";
import { remoteCall, type ServerLink } from "./server-client.ts";

/** Raw bytes per Append request (records are at most 1 MiB each, so one always fits). */
export const REQUEST_BYTES = 4 << 20;

/** Appends to `store` of the server behind `link`; RPC failures surface as LogErrors naming it. */
export function remoteSink(link: ServerLink, store: string): ImportSink {
  const ingest = createClient(IngestService, link.transport);
  const stores = createClient(StoreService, link.transport);
  const call = <T>(fn: () => Promise<T>): Promise<T> => remoteCall(link.where, fn);
  const send = (records: readonly RecordInput[]) =>
    call(async () => {
      const r = await ingest.append({
        store,
        records: records.map((x) => ({ raw: x.raw, attrs: x.attrs, sourceTsUs: BigInt(x.sourceTs), ingestTsUs: BigInt(x.ingestTs) })),
      });
      return r.refs.map((ref): RecordRef => ({ chunk: ref.chunk, pos: ref.pos }));
    });
  return {
    async append(batch) {
      const refs: RecordRef[] = [];
      let from = 0;
      while (from < batch.length) {
        let to = from;
        let bytes = 0;
        while (to < batch.length && (to === from || bytes + batch[to]!.raw.length <= REQUEST_BYTES)) bytes += batch[to++]!.raw.length;
        refs.push(...(await send(batch.slice(from, to))));
        from = to;
      }
      return refs;
    },
    seal: () => call(() => stores.sealActive({ store })),
    idle: async () => {},
    async chunk(id) {
      try {
        const c = (await stores.getChunk({ chunk: id, store })).chunk;
        return c && { storedBytes: Number(c.storedBytes), indexBytes: Number(c.indexBytes) };
      } catch {
        return undefined; // gone (retention) or unreachable: only the summary's sizes lack it
      }
    },
  };
}
