/**
 * The `<chunk-id>` commands (chunk, indexes, analyze <id>): the argument's usage and syntax
 * checks, one message each, and the fetch-then-print flow they share.
 */

import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { isChunkId } from "../../core/ids.ts";
import { rpcCode, rpcMessage } from "../client.ts";
import type { Session } from "../session.ts";
import { jsonLine } from "./json.ts";

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
function chunkError(s: Session, id: string, err: unknown): false {
  if (rpcCode(err) === Code.NotFound) return s.fail(`Chunk not found: ${id}`);
  return s.fail(`Error: ${rpcMessage(err)}`);
}

/**
 * Checks `args` as a chunk ID, fetches its message and prints it: one JSON line with
 * `output=json` (`schema` loads its descriptor), else `text`'s lines. False (after printing why) on a bad argument or failure.
 */
export async function showChunk<D extends DescMessage>(s: Session, cmd: string, args: string, schema: () => Promise<D>, fetch: (id: string) => Promise<MessageShape<D>>, text: (m: MessageShape<D>) => string[]): Promise<boolean> {
  const id = chunkArg(s, cmd, args);
  if (!id) return false;
  try {
    const m = await fetch(id);
    if (s.settings.output === "json") s.row(jsonLine(await schema(), m));
    else for (const line of text(m)) s.row(line);
    return true;
  } catch (err) {
    return chunkError(s, id, err);
  }
}
