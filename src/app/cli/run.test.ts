import { expect, test } from "bun:test";
import type { Command, CommandIO } from "./command.ts";
import { runCli } from "./run.ts";

function capture(): { io: CommandIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = {
    stdout: (t) => void out.push(typeof t === "string" ? t : new TextDecoder().decode(t)),
    stderr: (t) => void err.push(t),
    stdin: new Blob([]).stream(),
    isTTY: false,
    env: {},
  };
  return { io, out, err };
}

const echo: Command = {
  name: "echo",
  summary: "Echo the arguments.",
  usage: "[--upper] WORD...",
  flags: [{ name: "upper", kind: "boolean", description: "Uppercase the words." }],
  async run(args, io) {
    const text = args.positionals.join(" ");
    io.stdout((args.flags.upper ? text.toUpperCase() : text) + "\n");
    return 0;
  },
};

test("runs a command with its flags", async () => {
  const c = capture();
  expect(await runCli(["echo", "--upper", "a", "b"], [echo], c.io)).toBe(0);
  expect(c.out.join("")).toBe("A B\n");
});

test("unknown commands and flags exit 2 with a clear message", async () => {
  const a = capture();
  expect(await runCli(["nope"], [echo], a.io)).toBe(2);
  expect(a.err.join("")).toBe("gastrolog: unknown command 'nope'. Run 'gastrolog --help' for the list.\n");
  const b = capture();
  expect(await runCli(["echo", "--lower"], [echo], b.io)).toBe(2);
  expect(b.err.join("")).toBe(
    "gastrolog echo: unknown flag '--lower'\nUsage: gastrolog echo [--upper] WORD...\nRun 'gastrolog echo --help' for details.\n",
  );
});

test("help texts list every command and flag", async () => {
  const top = capture();
  expect(await runCli(["--help"], [echo], top.io)).toBe(0);
  expect(top.out.join("")).toBe(
    "gastrolog — log aggregation and search in one executable\n\nUsage: gastrolog COMMAND [FLAGS] [ARGS]\n\nCommands:\n  echo  Echo the arguments.\n\nRun 'gastrolog COMMAND --help' for a command's flags.\n",
  );
  const sub = capture();
  expect(await runCli(["echo", "--help"], [echo], sub.io)).toBe(0);
  expect(sub.out.join("")).toBe(
    "Usage: gastrolog echo [--upper] WORD...\n\nEcho the arguments.\n\nFlags:\n      --upper  Uppercase the words.\n  -h, --help   Show this help.\n",
  );
});

test("a command's runtime error exits 1 with one line", async () => {
  const failing: Command = { ...echo, name: "fail", run: async () => Promise.reject(new Error("disk on fire")) };
  const c = capture();
  expect(await runCli(["fail"], [failing], c.io)).toBe(1);
  expect(c.err.join("")).toBe("gastrolog fail: disk on fire\n");
});
