/** One-line JSON of an API message, for `set output=json` (proto3 JSON: int64 as strings). */

import { toJsonString, type DescMessage, type MessageShape } from "@bufbuild/protobuf";

export function jsonLine<D extends DescMessage>(schema: D, msg: MessageShape<D>): string {
  return toJsonString(schema, msg);
}
