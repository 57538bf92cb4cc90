/** `store [NAME]`: shows or sets the target store, checked against StoreService.ListStores. */

import { rpcMessage } from "../client.ts";
import type { ReplCommand } from "./command.ts";

export const storeCommand: ReplCommand = {
  name: "store",
  usage: "[NAME]",
  summary: "Show the current store, or switch to NAME.",
  completion: "store",
  async run(s, args, signal) {
    const name = args.trim();
    if (name === "") {
      s.note(`Current store: ${s.store}`);
      return true;
    }
    let names: string[];
    try {
      names = (await s.client.store.listStores({}, { signal })).stores.map((x) => x.name);
    } catch (err) {
      return s.fail(`Error: ${rpcMessage(err)}`);
    }
    if (!names.includes(name)) return s.fail(`Unknown store: ${name} (stores: ${names.length ? names.join(", ") : "none"})`);
    if (name !== s.store) s.closeStream();
    s.store = name;
    s.note(`Store set to: ${name}`);
    return true;
  },
};
