/** `set [key=value ...]`: prints the settings, or changes them (see settings.ts). */

import { applySetting, describeSettings } from "../settings.ts";
import type { ReplCommand } from "./command.ts";

export const setCommand: ReplCommand = {
  name: "set",
  usage: "[pager=N] [output=text|json] [context=N]",
  summary: "Show or change settings.",
  completion: "setting",
  async run(s, args) {
    const parts = args.split(/\s+/).filter((x) => x !== "");
    if (parts.length === 0) {
      for (const line of describeSettings(s.settings)) s.note(line);
      return true;
    }
    let ok = true;
    for (const p of parts) {
      const r = applySetting(s.settings, p);
      if (r.ok) s.note(r.message);
      else ok = s.fail(r.message);
    }
    return ok;
  },
};
