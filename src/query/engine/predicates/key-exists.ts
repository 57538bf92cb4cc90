/** `key=*`: some attribute, or a key=value pair in the raw text, has this key. */

import { pairKind } from "./pairs.ts";

export const keyExistsKind = pairKind("key_exists", "key", (node) => (node.kind === "key_exists" ? { key: node.key, value: "" } : undefined));
