/**
 * RFC 6587 framing on one TCP port: client captures (logger, rsyslog, syslog-ng, loggen with
 * BOM and PROXY v1, Docker), oversize and incomplete frames, and fuzzing with exact byte
 * accounting (frames + overhead + dropped = input) however the stream is split.
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { capture } from "../../test-support.ts";
import { SyslogStreamFramer, type FrameSink } from "./framer.ts";

const dec = new TextDecoder();
const enc = new TextEncoder();

function frame(input: Uint8Array, opts: { max?: number; proxy?: boolean; cuts?: number[] } = {}) {
  const f = new SyslogStreamFramer(opts.max ?? 1 << 20, opts.proxy ?? false);
  const frames: string[] = [];
  const drops: Record<string, [number, number]> = {};
  let bytes = 0;
  const sink: FrameSink = {
    frame: (b, s, e) => {
      frames.push(dec.decode(b.subarray(s, e)));
      bytes += e - s;
    },
    dropped: (reason, messages, n) => {
      const d = (drops[reason] ??= [0, 0]);
      d[0] += n;
      d[1] += messages;
      bytes += n;
    },
  };
  let prev = 0;
  for (const at of [...(opts.cuts ?? []), input.length]) {
    f.push(input.subarray(prev, at), sink);
    prev = at;
  }
  f.end(sink);
  return { frames, drops, proxy: f.proxy, accounted: bytes + f.overhead === input.length };
}

describe("syslog stream framing", () => {
  test("captures", () => {
    const cases: [string, number, RegExp][] = [
      ["logger-tcp-rfc5424-octetcount-2msgs.bin", 2, /line (one|two)$/],
      ["rsyslog-omfwd-tcp-octetcounted-5424.conn0.bin", 2, /rsyslog$|unicode é$/],
      ["rsyslog-omfwd-tcp-lf-forwardformat.conn0.bin", 2, /^<13[14]>2026/],
      ["syslogng-syslog-tcp-5424-octet.conn0.bin", 2, /^<13>1 /],
      ["docker-syslog-driver-tcp-rfc3164.conn0.bin", 2, /^<30>Nov 26 .* syslog tcp 3164 [ab]$/],
      ["npm-syslog-client-tcp-5424.conn0.bin", 2, /^<13[24]>1 /],
    ];
    for (const [file, n, re] of cases) {
      const r = frame(capture(`syslog/${file}`));
      expect({ file, n: r.frames.length, all: r.frames.every((f) => re.test(f)), drops: r.drops, accounted: r.accounted }).toEqual({ file, n, all: true, drops: {}, accounted: true });
    }
  });

  test("loggen's octet counts understate its 140-byte messages: framing follows the counts", () => {
    const r = frame(capture("syslog/loggen-tcp-rfc5424-framed.conn0.bin"));
    expect({ n: r.frames.length, first: enc.encode(r.frames[0]!).length, bom: r.frames[0]!.includes("- - \u{feff}seq: 0000000000"), accounted: r.accounted }).toEqual({ n: 2, first: 120, bom: true, accounted: true });
  });

  test("PROXY v1 line is consumed and reported when configured, else it is a message", () => {
    const c = capture("syslog/loggen-tcp-3164-proxyv1.conn0.bin");
    const on = frame(c, { proxy: true });
    expect([on.proxy, on.frames[0]!.slice(0, 8), on.accounted]).toEqual([
      { protocol: "TCP4", source: "192.168.1.53", destination: "192.168.1.61", sourcePort: 6925, destinationPort: 514 },
      "<38>2026",
      true,
    ]);
    expect(frame(c).frames[0]).toBe("PROXY TCP4 192.168.1.53 192.168.1.61 6925 514");
  });

  test("mixed framing, CRLF, empty lines, oversize and incomplete frames", () => {
    const r = frame(enc.encode("5 <1>a\n<2>b\r\n\n\n13 <3>c<4>d\n<5>e"), { max: 64 });
    expect(r).toEqual({ frames: ["<1>a", "<2>b", "<3>c<4>d\n<5>e"], drops: {}, proxy: undefined, accounted: true });
    const big = frame(enc.encode(`20 ${"x".repeat(20)}<1>after\n${"y".repeat(30)}\n<2>z\n15 short`), { max: 8 });
    expect(big).toEqual({
      frames: ["xxxxxxxx", "<1>after", "yyyyyyyy", "<2>z"],
      drops: { truncated: [35, 2], incomplete: [8, 1] },
      proxy: undefined,
      accounted: true,
    });
  });

  test("NUL ends a frame like LF (Python's SysLogHandler over TCP); trailing NUL in octet frames is framing", () => {
    const cases: [string, string[]][] = [
      ["<14>one\0<14>two\0<14>three\0", ["<14>one", "<14>two", "<14>three"]],
      ["<14>a\n\0<14>b\r\n<14>c\0\n\0", ["<14>a", "<14>b", "<14>c"]],
      ["8 <14>one\0<14>two\0", ["<14>one", "<14>two"]],
      ["<14>tail without delimiter", ["<14>tail without delimiter"]],
    ];
    for (const [input, frames] of cases) {
      for (const cuts of [[], [1], [5, 6, 7]]) {
        expect(frame(enc.encode(input), { cuts })).toEqual({ frames, drops: {}, proxy: undefined, accounted: true });
      }
    }
  });

  test("an oversize NUL-terminated message is cut, counted once as truncated, and the next one survives", () => {
    expect(frame(enc.encode(`<14>${"x".repeat(20)}\0<14>next\0`), { max: 8, cuts: [3, 10] })).toEqual({
      frames: ["<14>xxxx", "<14>next"],
      drops: { truncated: [17, 1] },
      proxy: undefined,
      accounted: true,
    });
  });

  test("fuzz: exact accounting, same frames however split, no throw", () => {
    const seeds = ["logger-tcp-rfc5424-octetcount-2msgs.bin", "rsyslog-omfwd-tcp-lf-forwardformat.conn0.bin", "loggen-tcp-3164-proxyv1.conn0.bin"].map((f) => capture(`syslog/${f}`));
    const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.constantFrom(0x0a, 0x0d, 0x20, 0x31, 0x39, 0x3c, 0x00, 0xff)), { maxLength: 6 })).map(([s, m]) => {
      const b = s.slice();
      for (const [i, v] of m) b[i % b.length] = v;
      return b;
    });
    const alphabet = fc.uint8Array({ maxLength: 120 }).map((b) => b.map((x) => [0x0a, 0x0d, 0x20, 0x31, 0x35, 0x39, 0x30, 0x3c, 0x41, 0x00][x % 10]!));
    fc.assert(
      fc.property(fc.oneof(mutated, alphabet, fc.uint8Array({ maxLength: 80 })), fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (input, cutSeeds, proxy) => {
        const cuts = [...new Set(cutSeeds.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
        const whole = frame(input, { max: 40, proxy });
        const split = frame(input, { max: 40, proxy, cuts });
        expect(whole.accounted).toBe(true);
        expect(split).toEqual(whole);
      }),
      { numRuns: 1500 },
    );
  });
});
