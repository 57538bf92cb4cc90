/**
 * The interactive REPL in a real terminal: the compiled binary runs in a tmux pane and is
 * driven with send-keys / capture-pane. Covers tab completion (commands and attribute keys),
 * the pager with `next`, Ctrl-C during follow, history (Up, file mode 0600) and Ctrl-D.
 * Waits poll the pane for the expected text (bounded), never fixed sleeps.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gastrologBinary } from "./support/binary.ts";
import { until } from "./support/until.ts";

const TMUX = Bun.which("tmux");
const SESSION = `repl-test-${process.pid}`;
let dir: string;

function tmux(...args: string[]): string {
  const p = Bun.spawnSync([TMUX!, ...args], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`tmux ${args.join(" ")}: ${p.stderr.toString()}`);
  return p.stdout.toString();
}

const pane = () => tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", SESSION);
const keys = (...k: string[]) => tmux("send-keys", "-t", SESSION, ...k);

/** Polls the pane until `pred` holds (every 25 ms, at most 15 s); returns the pane text. */
function paneShows(what: string, pred: (text: string) => boolean): Promise<string> {
  return until(
    () => {
      const text = pane();
      return pred(text) && text;
    },
    { what, timeoutMs: 15_000, pollMs: 25, detail: () => `pane:\n${pane()}` },
  );
}

const count = (text: string, needle: string) => text.split(needle).length - 1;
/** The last non-empty line of the pane (the prompt line while idle). */
const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "repl-tmux-"));
  const bin = await gastrologBinary();
  if (!TMUX) return;
  const cmd = `GASTROLOG_HISTORY=${join(dir, "history")} NO_COLOR=1 ${bin} repl --embedded; echo REPL-EXITED=$?; sleep 600`;
  tmux("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", cmd);
  await paneShows("the banner", (t) => t.includes("Type 'help' for commands."));
});

afterAll(() => {
  if (TMUX) Bun.spawnSync([TMUX, "kill-session", "-t", SESSION]);
  rmSync(dir, { recursive: true, force: true });
});

test.skipIf(!TMUX)("interactive: completion, pager, Ctrl-C in follow, history, Ctrl-D (needs tmux)", async () => {
  keys("expl", "Tab");
  expect(lastLine(await paneShows("command completion", (t) => lastLine(t).endsWith("explain")))).toBe("[default] > explain");
  // Keys complete to their common prefix: attribute `host` and the syslog format field `hostname`.
  keys("C-u", "query ho", "Tab");
  expect(lastLine(await paneShows("key completion", (t) => lastLine(t).endsWith("host")))).toBe("[default] > query host");
  keys("=web", "Enter");
  await paneShows("the empty answer", (t) => t.includes("No more results."));

  // Typed ahead, before the next prompt is drawn: the REPL keeps the keys for it.
  keys("set pager=2", "Enter");
  keys("query", "Enter");
  // The prompt is drawn just after the page: wait for both.
  await paneShows("a page of 2 and the query prompt", (t) => t.includes("--- 2 records shown. Use 'next' for more. ---") && lastLine(t) === "[default|query] >");
  keys("next", "Enter");
  await paneShows("the second page", (t) => count(t, "--- 2 records shown.") === 2);

  keys("follow", "Enter");
  await paneShows("follow to start", (t) => t.includes("--- Following (press any key to stop) ---"));
  keys("C-c");
  const stopped = await paneShows("follow to stop", (t) => t.includes("--- Follow stopped ---") && lastLine(t).startsWith("[default"));
  expect(lastLine(stopped)).toBe("[default|query] >");

  keys("Up");
  expect(lastLine(await paneShows("history recall", (t) => lastLine(t).endsWith("follow")))).toBe("[default|query] > follow");
  keys("Up");
  await paneShows("older history", (t) => lastLine(t).endsWith("> next"));
  keys("C-u", "C-d");
  const done = await paneShows("exit", (t) => t.includes("REPL-EXITED="));
  expect(done).toContain("REPL-EXITED=0");
  const history = join(dir, "history");
  expect({ lines: readFileSync(history, "utf8"), mode: statSync(history).mode & 0o777 }).toEqual({
    lines: "query host=web\nset pager=2\nquery\nnext\nfollow\n",
    mode: 0o600,
  });
});
