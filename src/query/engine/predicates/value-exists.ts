/** `*=value`: some attribute, or a key=value pair in the raw text, has this value. */

import { pairKind } from "./pairs.ts";

export const valueExistsKind = pairKind("value_exists", "value", (node) => (node.kind === "value_exists" ? { key: "", value: node.value } : undefined));
