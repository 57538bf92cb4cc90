import { beforeAll, expect, test } from "bun:test";
import { replFixture, type ReplFixture } from "../../test/support/repl.ts";
import { replClient } from "./client.ts";
import { Completer } from "./completion.ts";
import { promptText } from "./prompt.ts";
import { PLAIN } from "./render/style.ts";
import { Session } from "./session.ts";
import { ResultStream } from "./stream.ts";

let fx: ReplFixture;
beforeAll(async () => {
  fx = await replFixture();
});

function session(): Session {
  return new Session(replClient(fx.transport), { out: () => {}, err: () => {} }, PLAIN, false);
}

test("completion: commands, settings, stores, chunk IDs, subcommands and query keys", async () => {
  const c = new Completer(session());
  const ids = fx.host.stores().flatMap((s) => s.source.store.chunks().map((m) => m.id)).sort().reverse();
  const cases: [string, [string[], string]][] = [
    ["qu", [["query", "quit"], "qu"]],
    ["s", [["set", "stats", "status", "store"], "s"]],
    ["set p", [["pager="], "p"]],
    ["set output=", [["output=text", "output=json"], "output="]],
    ["store a", [["audit"], "a"]],
    ["query error ho", [["host="], "ho"]],
    ["query l", [["last=", "limit=", "level="], "l"]],
    ["query level=e", [[], "level=e"]],
    ["help ne", [["next"], "ne"]],
    ["reset x", [[], "x"]],
    ["chunk ", [ids, ""]],
    ["config h", [["history"], "h"]],
    ["retention s", [["show", "set", "sweep"], "s"]],
    ["retention sweep a", [["audit"], "a"]],
    ["retention set default ma", [[], "ma"]],
    ["config set x", [[], "x"]],
  ];
  for (const [line, want] of cases) expect(await c.complete(line)).toEqual(want);
});

test("query keys come from ListAttributeKeys per store, else from a search sample", async () => {
  const s = session();
  const c = new Completer(s);
  const got = [await c.complete("query ")];
  s.store = "audit";
  got.push(await c.complete("query a"));
  const broken = replClient(fx.transport);
  broken.store = { ...broken.store, listAttributeKeys: () => Promise.reject(new Error("unimplemented")) };
  const fallback = new Completer(new Session(broken, { out: () => {}, err: () => {} }, PLAIN, false));
  got.push(await fallback.complete("query h"));
  expect(got).toEqual([
    [["start=", "end=", "last=", "limit=", "reverse=", "host=", "level="], ""],
    [["actor="], "a"],
    [["host="], "h"],
  ]);
});

test("prompt shows the store and the open query, truncated past 30 characters", () => {
  const s = session();
  const open = (desc: string) => new ResultStream((async function* () {})(), new AbortController(), desc, []);
  const got = [promptText(s)];
  s.stream = open("query");
  got.push(promptText(s));
  s.stream = open("error AND host=web-1 AND NOT debug");
  s.store = "audit";
  got.push(promptText(s));
  expect(got).toEqual(["[default] > ", "[default|query] > ", "[audit|error AND host=web-1 AND NO...] > "]);
});
