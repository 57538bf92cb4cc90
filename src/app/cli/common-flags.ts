/** Flags several commands share, declared once so their help text stays the same. */

import type { FlagSpec } from "./command.ts";

export const DATA_FLAG: FlagSpec = {
  name: "data",
  short: "d",
  kind: "string",
  value: "DIR",
  description: "Data directory.",
  default: "$GASTROLOG_DATA, $XDG_DATA_HOME/gastrolog or ~/.local/share/gastrolog",
};

export const STORE_FLAG: FlagSpec = { name: "store", short: "s", kind: "string", value: "NAME", description: "Store name.", default: "default" };
