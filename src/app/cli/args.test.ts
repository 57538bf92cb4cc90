import { describe, expect, test } from "bun:test";
import { parseArgs } from "./args.ts";
import { UsageError, type FlagSpec } from "./command.ts";

const specs: FlagSpec[] = [
  { name: "data", short: "d", kind: "string", value: "DIR", description: "data dir" },
  { name: "quiet", short: "q", kind: "boolean", description: "quiet" },
  { name: "receiver", kind: "list", value: "TYPE=URL", description: "receiver" },
];

describe("parseArgs", () => {
  const ok: Array<[string[], ReturnType<typeof parseArgs>]> = [
    [["a", "b"], { flags: {}, positionals: ["a", "b"] }],
    [["--data", "x", "f"], { flags: { data: "x" }, positionals: ["f"] }],
    [["--data=x=y"], { flags: { data: "x=y" }, positionals: [] }],
    [["-d", "x", "-q", "-"], { flags: { data: "x", quiet: true }, positionals: ["-"] }],
    [["--quiet=false"], { flags: { quiet: false }, positionals: [] }],
    [["--receiver", "a", "--receiver=b"], { flags: { receiver: ["a", "b"] }, positionals: [] }],
    [["--", "--data", "-q"], { flags: {}, positionals: ["--data", "-q"] }],
    [["--help"], { flags: { help: true }, positionals: [] }],
  ];
  test.each(ok)("%j", (argv, expected) => {
    expect(parseArgs(argv, specs)).toEqual(expected);
  });

  const bad: Array<[string[], string]> = [
    [["--nope"], "unknown flag '--nope'"],
    [["-x"], "unknown flag '-x'"],
    [["--data"], "flag --data needs a value (DIR)"],
    [["--quiet=yes"], "flag --quiet takes no value (got 'yes')"],
  ];
  test.each(bad)("rejects %j", (argv, message) => {
    expect(() => parseArgs(argv, specs)).toThrow(new UsageError(message));
  });
});
