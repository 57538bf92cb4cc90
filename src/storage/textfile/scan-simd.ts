/**
 * Newline counting and ASCII case folding at memory speed: a tiny WebAssembly module, assembled
 * below from its opcodes, works on 16 bytes at a time with SIMD (i8x16.eq, bitmask, popcnt; a
 * range compare to lowercase A-Z). The bytes live in the module's memory, so the file is read
 * straight into it (`ensure`) with no copy. A text region is counted this way (tens of GB/s)
 * instead of one indexOf call per line, its block starts found and its bytes folded in the same
 * pass (`scanLines`), so a letters-only token is one native byte search. Module state is one scratch buffer per process: a piece is valid until the next `ensure`.
 */

/** WebAssembly opcodes used below. */
const OP = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  return: [0x0f],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (i: number) => [0x20, i],
  set: (i: number) => [0x21, i],
  tee: (i: number) => [0x22, i],
  const: (v: number) => [0x41, ...sleb(v)],
  load8u: [0x2d, 0x00, 0x00],
  store8: [0x3a, 0x00, 0x00],
  ltU: [0x49],
  or: [0x72],
  eq: [0x46],
  geU: [0x4f],
  gtU: [0x4b],
  leU: [0x4d],
  ctz: [0x68],
  popcnt: [0x69],
  add: [0x6a],
  sub: [0x6b],
  and: [0x71],
  v128load: [0xfd, 0x00, 0x00, 0x00],
  v128store: [0xfd, 0x0b, 0x00, 0x00],
  v128and: [0xfd, 0x4e],
  v128or: [0xfd, 0x50],
  ltU8: [0xfd, 0x26],
  sub8: [0xfd, 0x71],
  splat8: [0xfd, 0x0f],
  eq8: [0xfd, 0x23],
  bitmask8: [0xfd, 0x64],
} as const;
const I32 = 0x7f;
const V128 = 0x7b;
const NL = 10;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n !== 0 ? b | 0x80 : b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

/** Adds the number of NL bytes among the 16 at address local `p` to local `c` (newline vector in local `nl`). */
const countVector = (p: number, nl: number, c: number): number[] => [...OP.get(c), ...OP.get(p), ...OP.v128load, ...OP.get(nl), ...OP.eq8, ...OP.bitmask8, ...OP.popcnt, ...OP.add, ...OP.set(c)];
const advance = (p: number, by: number): number[] => [...OP.get(p), ...OP.const(by), ...OP.add, ...OP.set(p)];

/** count(p, n): NL bytes in [p, p + n). Locals: 2 end, 3 c, 4 nl (v128). */
const COUNT = [
  ...vec([[1, I32], [1, I32], [1, V128]]),
  ...OP.get(0), ...OP.get(1), ...OP.add, ...OP.set(2),
  ...OP.const(NL), ...OP.splat8, ...OP.set(4),
  ...OP.block, ...OP.loop,
  ...OP.get(0), ...OP.const(16), ...OP.add, ...OP.get(2), ...OP.gtU, ...OP.brIf(1),
  ...countVector(0, 4, 3), ...advance(0, 16), ...OP.br(0),
  ...OP.end, ...OP.end,
  ...OP.block, ...OP.loop,
  ...OP.get(0), ...OP.get(2), ...OP.geU, ...OP.brIf(1),
  ...OP.get(3), ...OP.get(0), ...OP.load8u, ...OP.const(NL), ...OP.eq, ...OP.add, ...OP.set(3),
  ...advance(0, 1), ...OP.br(0),
  ...OP.end, ...OP.end,
  ...OP.get(3), ...OP.end,
];

/**
 * scan(p, n, left, fold): walks [p, p + n) until the `left`-th (>= 1) NL byte and returns the
 * address just after it; with `fold` set, lowercases A-Z on the way (a vector holding that NL
 * is folded whole: folding twice changes nothing). Returns -1 - (NL bytes seen) when fewer than
 * `left` lie in the range. One pass: counting, block starts and folding at once.
 * Locals: 4 end, 5 mask, 6 count, 7 seen, 8 byte; 9 v, 10 NL, 11 'A', 12 26, 13 0x20 (v128).
 */
const SCAN = [
  ...vec([[5, I32], [5, V128]]),
  ...OP.get(0), ...OP.get(1), ...OP.add, ...OP.set(4),
  ...OP.const(NL), ...OP.splat8, ...OP.set(10),
  ...OP.const(0x41), ...OP.splat8, ...OP.set(11),
  ...OP.const(26), ...OP.splat8, ...OP.set(12),
  ...OP.const(0x20), ...OP.splat8, ...OP.set(13),
  ...OP.block, ...OP.loop,
  ...OP.get(0), ...OP.const(16), ...OP.add, ...OP.get(4), ...OP.gtU, ...OP.brIf(1),
  ...OP.get(0), ...OP.v128load, ...OP.set(9),
  // v | ((v - 'A') <u 26 ? 0x20 : 0), per byte, stored back.
  ...OP.get(3), ...OP.if,
  ...OP.get(0), ...OP.get(9), ...OP.get(11), ...OP.sub8, ...OP.get(12), ...OP.ltU8, ...OP.get(13), ...OP.v128and, ...OP.get(9), ...OP.v128or, ...OP.tee(9), ...OP.v128store,
  ...OP.end,
  ...OP.get(9), ...OP.get(10), ...OP.eq8, ...OP.bitmask8, ...OP.tee(5), ...OP.popcnt, ...OP.set(6),
  ...OP.get(6), ...OP.get(2), ...OP.geU,
  ...OP.if,
  // The left-th set bit of the mask: clear the lowest left - 1, then count trailing zeros.
  ...OP.block, ...OP.loop,
  ...OP.get(2), ...OP.const(1), ...OP.leU, ...OP.brIf(1),
  ...OP.get(5), ...OP.get(5), ...OP.const(1), ...OP.sub, ...OP.and, ...OP.set(5),
  ...OP.get(2), ...OP.const(1), ...OP.sub, ...OP.set(2), ...OP.br(0),
  ...OP.end, ...OP.end,
  ...OP.get(0), ...OP.get(5), ...OP.ctz, ...OP.add, ...OP.const(1), ...OP.add, ...OP.return,
  ...OP.end,
  ...OP.get(2), ...OP.get(6), ...OP.sub, ...OP.set(2),
  ...OP.get(7), ...OP.get(6), ...OP.add, ...OP.set(7),
  ...advance(0, 16), ...OP.br(0),
  ...OP.end, ...OP.end,
  ...OP.block, ...OP.loop,
  ...OP.get(0), ...OP.get(4), ...OP.geU, ...OP.brIf(1),
  ...OP.get(0), ...OP.load8u, ...OP.set(8),
  ...OP.get(3), ...OP.if,
  ...OP.get(8), ...OP.const(0x41), ...OP.sub, ...OP.const(26), ...OP.ltU,
  ...OP.if, ...OP.get(0), ...OP.get(8), ...OP.const(0x20), ...OP.or, ...OP.store8, ...OP.end,
  ...OP.end,
  ...OP.get(8), ...OP.const(NL), ...OP.eq,
  ...OP.if,
  ...OP.get(2), ...OP.const(1), ...OP.eq, ...OP.if, ...OP.get(0), ...OP.const(1), ...OP.add, ...OP.return, ...OP.end,
  ...OP.get(2), ...OP.const(1), ...OP.sub, ...OP.set(2),
  ...OP.get(7), ...OP.const(1), ...OP.add, ...OP.set(7),
  ...OP.end,
  ...advance(0, 1), ...OP.br(0),
  ...OP.end, ...OP.end,
  ...OP.const(-1), ...OP.get(7), ...OP.sub, ...OP.end,
];

/** fold(p, n): ASCII A-Z in [p, p + n) lowercased in place. Locals: 2 end, 3 byte, 4 'A', 5 26, 6 0x20 (v128). */
const FOLD = [
  ...vec([[2, I32], [3, V128]]),
  ...OP.get(0), ...OP.get(1), ...OP.add, ...OP.set(2),
  ...OP.const(0x41), ...OP.splat8, ...OP.set(4),
  ...OP.const(26), ...OP.splat8, ...OP.set(5),
  ...OP.const(0x20), ...OP.splat8, ...OP.set(6),
  ...OP.block, ...OP.loop,
  ...OP.get(0), ...OP.const(16), ...OP.add, ...OP.get(2), ...OP.gtU, ...OP.brIf(1),
  // v | ((v - 'A') <u 26 ? 0x20 : 0), per byte.
  ...OP.get(0), ...OP.get(0), ...OP.v128load, ...OP.get(0), ...OP.v128load, ...OP.get(4), ...OP.sub8, ...OP.get(5), ...OP.ltU8, ...OP.get(6), ...OP.v128and, ...OP.v128or, ...OP.v128store,
  ...advance(0, 16), ...OP.br(0),
  ...OP.end, ...OP.end,
  ...OP.block, ...OP.loop,
  ...OP.get(0), ...OP.get(2), ...OP.geU, ...OP.brIf(1),
  ...OP.get(0), ...OP.load8u, ...OP.set(3),
  ...OP.get(3), ...OP.const(0x41), ...OP.sub, ...OP.const(26), ...OP.ltU,
  ...OP.if, ...OP.get(0), ...OP.get(3), ...OP.const(0x20), ...OP.or, ...OP.store8, ...OP.end,
  ...advance(0, 1), ...OP.br(0),
  ...OP.end, ...OP.end,
  ...OP.end,
];

const MODULE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, vec([[0x60, ...vec([[I32], [I32]]), ...vec([[I32]])], [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([[I32]])], [0x60, ...vec([[I32], [I32]]), ...vec([])]])),
  ...section(3, vec([[0], [1], [2]])),
  ...section(5, vec([[0x00, 1]])),
  ...section(7, vec([[...name("mem"), 0x02, 0], [...name("count"), 0x00, 0], [...name("scan"), 0x00, 1], [...name("fold"), 0x00, 2]])),
  ...section(10, vec([[...uleb(COUNT.length), ...COUNT], [...uleb(SCAN.length), ...SCAN], [...uleb(FOLD.length), ...FOLD]])),
]);

interface Exports {
  mem: WebAssembly.Memory;
  count(p: number, n: number): number;
  scan(p: number, n: number, left: number, fold: number): number;
  fold(p: number, n: number): void;
}

const PAGE = 65536;
let wasm: Exports | undefined;
let view = Buffer.alloc(0);

function exports(): Exports {
  wasm ??= new WebAssembly.Instance(new WebAssembly.Module(MODULE), {}).exports as unknown as Exports;
  return wasm;
}

/** The scratch buffer with at least `len` bytes (its contents are kept only up to the old size). */
export function ensure(len: number): Buffer {
  const w = exports();
  if (w.mem.buffer.byteLength < len) w.mem.grow(Math.ceil((len - w.mem.buffer.byteLength) / PAGE));
  if (view.buffer !== w.mem.buffer) view = Buffer.from(w.mem.buffer);
  return view;
}

/** NL bytes in scratch bytes [from, to). */
export function countNewlines(from: number, to: number): number {
  return to > from ? exports().count(from, to - from) : 0;
}

/**
 * Walks scratch bytes [from, to) until the `left`-th (>= 1) NL byte and returns the offset just
 * after it, or -1 - (NL bytes in the range) when fewer lie there; with `fold`, the bytes walked
 * get ASCII A-Z lowercased on the way (possibly up to 15 bytes past the returned offset).
 */
export function scanLines(from: number, to: number, left: number, fold: boolean): number {
  return to > from ? exports().scan(from, to - from, left, fold ? 1 : 0) : -1;
}

/** Lowercases ASCII A-Z in scratch bytes [from, to) in place (other bytes, UTF-8 included, unchanged). */
export function foldAscii(from: number, to: number): void {
  if (to > from) exports().fold(from, to - from);
}
