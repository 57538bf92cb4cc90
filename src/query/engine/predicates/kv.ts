/** `key=value`: some attribute, or a key=value pair in the raw text, has this key and value. */

import { pairKind } from "./pairs.ts";

export const kvKind = pairKind("kv", "pair", (node) => (node.kind === "kv" ? { key: node.key, value: node.value } : undefined));
