import { expect, test } from "bun:test";
import { applySetting, DEFAULT_SETTINGS, describeSettings } from "./settings.ts";

test("applySetting validates each setting and reports the new value or the problem", () => {
  const cases: [string, { ok: boolean; message: string }][] = [
    ["pager=25", { ok: true, message: "Pager set to 25." }],
    ["pager=0", { ok: true, message: "Pager disabled (showing all results)." }],
    ["pager=-3", { ok: false, message: "Invalid pager value: -3 (expected non-negative integer)" }],
    ["pager=1.5", { ok: false, message: "Invalid pager value: 1.5 (expected non-negative integer)" }],
    ["pager", { ok: false, message: "Invalid setting: pager (expected key=value)" }],
    ["colour=on", { ok: false, message: "Unknown setting: colour" }],
    ["output=json", { ok: true, message: "Output set to json." }],
    ["output=yaml", { ok: false, message: "Invalid output value: yaml (expected text or json)" }],
    ["context=2", { ok: true, message: "Context set to 2 records before and after each match." }],
    ["context=5000", { ok: false, message: "Invalid context value: 5000 (expected an integer from 0 to 1000)" }],
  ];
  for (const [arg, want] of cases) expect(applySetting({ ...DEFAULT_SETTINGS }, arg)).toEqual(want);
});

test("settings change only on success and describe themselves", () => {
  const s = { ...DEFAULT_SETTINGS };
  applySetting(s, "pager=3");
  applySetting(s, "pager=x");
  applySetting(s, "output=json");
  expect(describeSettings(s)).toEqual(["pager=3", "output=json", "context=0"]);
});
