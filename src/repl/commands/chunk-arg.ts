/** The `<chunk-id>` argument of chunk/indexes/analyze: usage and syntax checks, one message each. */

import { isChunkId } from "../../core/ids.ts";
import { Code } from "@connectrpc/connect";
import { rpcCode, rpcMessage } from "../client.ts";
import type { Session } from "../session.ts";

/** The chunk ID in `args`, or undefined after printing why it is not one. */
export function chunkArg(s: Session, cmd: string, args: string): string | undefined {
  const id = args.trim();
  if (id === "" || /\s/.test(id)) {
    s.fail(`Usage: ${cmd} <chunk-id>`);
    return undefined;
  }
  if (!isChunkId(id)) {
    s.fail(`Invalid chunk ID: ${id}`);
    return undefined;
  }
  return id;
}

/** Prints a chunk RPC failure: `Chunk not found: <id>` for NOT_FOUND, else the message. */
export function chunkError(s: Session, id: string, err: unknown): false {
  if (rpcCode(err) === Code.NotFound) return s.fail(`Chunk not found: ${id}`);
  return s.fail(`Error: ${rpcMessage(err)}`);
}
