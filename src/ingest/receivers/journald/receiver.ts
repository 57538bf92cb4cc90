/**
 * Journald receiver: runs `journalctl -o export --follow` — on the local journal (source
 * `journalctl`) or on a directory of journal files (`file:///var/log/journal`, journalctl -D)
 * — and turns each entry into a record (parse/journal-export.ts). The cursor of the last
 * durable entry is checkpointed; a restart continues with `--after-cursor` (dropping entries a
 * crash left stored but not committed). A first run starts at the end of the journal
 * (start=end, default) or at its beginning. journalctl exiting is a crash: the receiver
 * restarts with backoff. Options: start, match (journalctl matches, space-separated
 * FIELD=value), journalctl (the binary, default "journalctl").
 */

import { errorMessage, LogError } from "../../../core/errors.ts";
import type { Checkpointer, Draft } from "../../checkpoint/checkpointer.ts";
import type { SourceRow } from "../../checkpoint/positions.ts";
import { JournalExportParser, journalCursor, journalRecord } from "../../parse/journal-export.ts";
import { checkOptionKeys, enumOption, stringOption } from "../options.ts";
import type { ReceiverConfig, ReceiverContext } from "../receiver.ts";
import { SourceReceiver, type RunningSource } from "../source-receiver.ts";

const OPTIONS = { start: "string", match: "string", journalctl: "string" } as const;
/** The one source of a journald receiver. */
const SOURCE = "journal";

export class JournaldReceiver extends SourceReceiver {
  private readonly start_: "end" | "beginning";
  private readonly matches: string[];
  private readonly binary: string;
  private proc: Bun.Subprocess<"ignore", "pipe", "pipe"> | undefined;

  constructor(config: ReceiverConfig, ctx: ReceiverContext) {
    super(config, ctx, { schemes: ["journalctl", "file"], expected: "journalctl or file:///var/log/journal", options: OPTIONS });
    const c = this.config;
    if (this.addresses.length > 1) throw new LogError("invalid_argument", `receiver ${c.id}: journald takes one source`);
    checkOptionKeys(c, Object.keys(OPTIONS));
    this.start_ = enumOption(c, "start", ["end", "beginning"] as const, "end");
    this.matches = stringOption(c, "match", "", true).split(/\s+/).filter((m) => m !== "");
    for (const m of this.matches) if (!/^[A-Z0-9_]+=/.test(m)) throw new LogError("invalid_argument", `receiver ${c.id}: option match needs FIELD=value words, got ${JSON.stringify(m)}`);
    this.binary = stringOption(c, "journalctl", "journalctl");
  }

  /** The journalctl command line for a start at `row` (undefined: never read before). */
  command(row: Readonly<SourceRow> | undefined): string[] {
    const args = [this.binary, "-o", "export", "--follow", "--no-pager"];
    const a = this.addresses[0]!;
    if (a.scheme === "file") args.push("-D", a.path);
    const cursor = row ? parseCursor(row.position) : "";
    if (cursor !== "") args.push(`--after-cursor=${cursor}`);
    else args.push(this.start_ === "end" ? "--lines=0" : "--no-tail");
    return [...args, ...this.matches];
  }

  protected override async startSource(cp: Checkpointer): Promise<RunningSource> {
    const row = cp.row(SOURCE);
    let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
    try {
      proc = Bun.spawn(this.command(row), { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    } catch (err) {
      throw new LogError("unavailable", `cannot run ${this.binary}: ${errorMessage(err)}`);
    }
    this.proc = proc;
    let stopping = false;
    const reading = this.read(proc, cp, row?.skip ?? 0).then(
      async () => {
        const code = await proc.exited;
        if (!stopping) this.crashed(new Error(`${this.binary} exited with ${code}: ${(await new Response(proc.stderr).text()).trim().slice(0, 300)}`));
      },
      (err) => {
        if (!stopping) this.crashed(err);
      },
    );
    return {
      stop: async () => {
        stopping = true;
        proc.kill();
        await reading;
      },
    };
  }

  protected override rewind(): void {
    // An append failed: restart journalctl from the committed cursor.
    this.proc?.kill();
  }

  private async read(proc: Bun.Subprocess<"ignore", "pipe", "pipe">, cp: Checkpointer, skip: number): Promise<void> {
    const parser = new JournalExportParser();
    const base = Object.freeze({ receiver: this.id });
    const p = this.pipeline;
    let records: Draft[] = [];
    let cursor = "";
    let pushed = "";
    let drop = skip;
    const onEntry = (e: Parameters<Parameters<JournalExportParser["push"]>[1]>[0]) => {
      const c = journalCursor(e);
      if (c !== "") cursor = c;
      if (drop > 0) {
        drop--;
        return;
      }
      const r = journalRecord(e, base);
      records.push({ raw: r.raw, attrs: r.attrs, sourceTs: r.sourceTs, ingestTs: 0 });
    };
    for await (const chunk of proc.stdout) {
      this.counters.bytes += chunk.length;
      parser.push(chunk, onEntry);
      // While dropping, the saved skip still counts: commit only from the first new entry on.
      if (drop === 0 && cursor !== pushed) {
        cp.push(SOURCE, records, JSON.stringify({ cursor }), "{}");
        records = [];
        pushed = cursor;
      }
      if (p.full) await p.whenSpace();
    }
  }
}

function parseCursor(position: string): string {
  try {
    const c = (JSON.parse(position) as { cursor?: unknown }).cursor;
    return typeof c === "string" ? c : "";
  } catch {
    return "";
  }
}

/** Registry entry. */
export function createJournaldReceiver(config: ReceiverConfig, ctx: ReceiverContext): JournaldReceiver {
  return new JournaldReceiver(config, ctx);
}
