/**
 * The byte work of the decoder that a plain `Uint8Array` makes slow: searching (its `indexOf` is a byte loop, where
 * a Node `Buffer`'s is memchr, and the parser asks that directly) and the NVT newline rules (`CR LF` to `LF`,
 * `CR NUL` to `CR`), which a byte loop in JavaScript does at a few hundred MB/s. A tiny WebAssembly module does both
 * with 16-byte SIMD over a copy of the chunk: the copy, made once per window of 64 KiB, costs less than what the
 * SIMD loops save even on runs of a few dozen bytes. Where WebAssembly SIMD is not available (or a content security
 * policy forbids compiling), `indexOf` and a byte loop do the work.
 *
 * The module has a memory `m` of three 64 KiB pages: the window of the chunk at its start (64 KiB, as a socket
 * reads), the output of `r` after it, and at its last 4 bytes where `r` stopped. Both functions read up to 15 bytes
 * past `end` and `r` may write as far past what it returns (the layout leaves room):
 * - `f(from, end, byte)`: the index of the first `byte` in `m[from, end)`, or -1; it may report a hit past `end`,
 *   which the caller discards.
 * - `r(from, end, to, skip)`: copies `m[from, end)` to `m[to...]` under the NVT rules (the CR of each `CR LF` and
 *   the NUL of each `CR NUL` dropped, other CRs kept) up to the first IAC that is not `IAC IAC` (copied as one 255)
 *   nor, when `skip` is 1, a command from NOP to GA (241 to 249, dropped); a CR at `end - 1` is not copied, since the
 *   byte after it decides, nor an IAC at `end - 1`. Returns the end of what it wrote, and stores where it stopped
 *   (that IAC, that CR, or `end`). Its fast loop takes a block of 16 bytes with no IAC and no CR but those of at most
 *   one `CR LF` in two stores, with no branch on the data: the masks of the next block are made while this one is
 *   stored, so a line's end costs no misprediction, and the output position waits on no comparison.
 *
 * Assembled from this text (with `wat2wasm --enable-simd`; `spec/codec/scan.spec.ts` checks the bytes against it):
 *
 * ```wat
 * (module
 *   (memory (export "m") 3)
 *   (func (export "f") (param $p i32) (param $end i32) (param $byte i32) (result i32) (local $v v128) (local $m i32)
 *     (local.set $v (i8x16.splat (local.get $byte)))
 *     (block (loop
 *       (br_if 1 (i32.ge_u (local.get $p) (local.get $end)))
 *       (if (local.tee $m (i8x16.bitmask (i8x16.eq (v128.load (local.get $p)) (local.get $v))))
 *         (then (return (i32.add (local.get $p) (i32.ctz (local.get $m))))))
 *       (local.set $p (i32.add (local.get $p) (i32.const 16)))
 *       (br 0)))
 *     (i32.const -1))
 *   (func (export "r") (param $p i32) (param $end i32) (param $d i32) (param $skip i32) (result i32)
 *     (local $v v128) (local $m i32) (local $left i32) (local $next i32)
 *     (local $w v128) (local $cr v128) (local $lf v128)
 *     (local $crlf i32) (local $other i32) (local $crlf2 i32) (local $other2 i32) (local $shift i32) (local $pos i32)
 *     (local $k13 v128) (local $k10 v128) (local $k255 v128)
 *     (local.set $k13 (i8x16.splat (i32.const 13)))
 *     (local.set $k10 (i8x16.splat (i32.const 10)))
 *     (local.set $k255 (i8x16.splat (i32.const 255)))
 *     (block $done (loop $block
 *       (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
 *       (local.set $v (v128.load (local.get $p)))
 *       (local.set $cr (i8x16.eq (local.get $v) (local.get $k13)))
 *       (local.set $lf (i8x16.eq (v128.load offset=1 (local.get $p)) (local.get $k10)))
 *       (local.set $crlf (i8x16.bitmask (v128.and (local.get $cr) (local.get $lf))))
 *       (local.set $other (i8x16.bitmask (v128.or (v128.andnot (local.get $cr) (local.get $lf))
 *         (i8x16.eq (local.get $v) (local.get $k255)))))
 *       (block $slow (loop $fast
 *         (br_if $slow (i32.le_u (i32.sub (local.get $end) (local.get $p)) (i32.const 16)))
 *         (br_if $slow (i32.or (local.get $other)
 *           (i32.and (local.get $crlf) (i32.sub (local.get $crlf) (i32.const 1)))))
 *         (local.set $w (v128.load offset=16 (local.get $p)))
 *         (local.set $cr (i8x16.eq (local.get $w) (local.get $k13)))
 *         (local.set $lf (i8x16.eq (v128.load offset=17 (local.get $p)) (local.get $k10)))
 *         (local.set $crlf2 (i8x16.bitmask (v128.and (local.get $cr) (local.get $lf))))
 *         (local.set $other2 (i8x16.bitmask (v128.or (v128.andnot (local.get $cr) (local.get $lf))
 *           (i8x16.eq (local.get $w) (local.get $k255)))))
 *         (local.set $shift (i32.ne (local.get $crlf) (i32.const 0)))
 *         (local.set $pos (i32.ctz (i32.or (local.get $crlf) (i32.const 32768))))
 *         (v128.store (local.get $d) (local.get $v))
 *         (v128.store (i32.add (local.get $d) (local.get $pos))
 *           (v128.load (i32.add (local.get $p) (i32.add (local.get $pos) (local.get $shift)))))
 *         (local.set $d (i32.add (local.get $d) (i32.sub (i32.const 16) (local.get $shift))))
 *         (local.set $p (i32.add (local.get $p) (i32.const 16)))
 *         (local.set $v (local.get $w))
 *         (local.set $crlf (local.get $crlf2))
 *         (local.set $other (local.get $other2))
 *         (br $fast)))
 *       (v128.store (local.get $d) (local.get $v))
 *       (local.set $left (i32.sub (local.get $end) (local.get $p)))
 *       (local.set $m (i8x16.bitmask (v128.or
 *         (i8x16.eq (local.get $v) (local.get $k13)) (i8x16.eq (local.get $v) (local.get $k255)))))
 *       (if (i32.lt_u (local.get $left) (i32.const 16))
 *         (then (local.set $m (i32.and (local.get $m)
 *           (i32.sub (i32.shl (i32.const 1) (local.get $left)) (i32.const 1))))))
 *       (if (i32.eqz (local.get $m))
 *         (then
 *           (if (i32.lt_u (local.get $left) (i32.const 16))
 *             (then
 *               (local.set $p (local.get $end))
 *               (local.set $d (i32.add (local.get $d) (local.get $left)))
 *               (br $done)))
 *           (local.set $p (i32.add (local.get $p) (i32.const 16)))
 *           (local.set $d (i32.add (local.get $d) (i32.const 16)))
 *           (br $block)))
 *       (local.set $p (i32.add (local.get $p) (i32.ctz (local.get $m))))
 *       (local.set $d (i32.add (local.get $d) (i32.ctz (local.get $m))))
 *       (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 255))
 *         (then
 *           (br_if $done (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $end)))
 *           (local.set $next (i32.load8_u offset=1 (local.get $p)))
 *           (if (i32.eq (local.get $next) (i32.const 255))
 *             (then
 *               (i32.store8 (local.get $d) (i32.const 255))
 *               (local.set $d (i32.add (local.get $d) (i32.const 1))))
 *             (else
 *               (br_if $done (i32.or (i32.eqz (local.get $skip))
 *                 (i32.gt_u (i32.sub (local.get $next) (i32.const 241)) (i32.const 8))))))
 *           (local.set $p (i32.add (local.get $p) (i32.const 2)))
 *           (br $block)))
 *       (br_if $done (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $end)))
 *       (local.set $next (i32.load8_u offset=1 (local.get $p)))
 *       (if (i32.eq (local.get $next) (i32.const 10))
 *         (then (local.set $p (i32.add (local.get $p) (i32.const 1))))
 *         (else
 *           (i32.store8 (local.get $d) (i32.const 13))
 *           (local.set $d (i32.add (local.get $d) (i32.const 1)))
 *           (local.set $p (i32.add (local.get $p) (select (i32.const 2) (i32.const 1) (i32.eqz (local.get $next)))))))
 *       (br $block)))
 *     (i32.store (i32.const 196604) (local.get $p))
 *     (local.get $d)))
 * ```
 *
 * @internal
 * @module
 */

// prettier-ignore
const MODULE = Uint8Array.of(
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x02, 0x60, 0x03, 0x7f, 0x7f, 0x7f,
  0x01, 0x7f, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x01, 0x05,
  0x03, 0x01, 0x00, 0x03, 0x07, 0x0d, 0x03, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x66, 0x00, 0x00, 0x01,
  0x72, 0x00, 0x01, 0x0a, 0xce, 0x04, 0x02, 0x3c, 0x02, 0x01, 0x7b, 0x01, 0x7f, 0x20, 0x02, 0xfd,
  0x0f, 0x21, 0x03, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x20, 0x01, 0x4f, 0x0d, 0x01, 0x20, 0x00,
  0xfd, 0x00, 0x04, 0x00, 0x20, 0x03, 0xfd, 0x23, 0xfd, 0x64, 0x22, 0x04, 0x04, 0x40, 0x20, 0x00,
  0x20, 0x04, 0x68, 0x6a, 0x0f, 0x0b, 0x20, 0x00, 0x41, 0x10, 0x6a, 0x21, 0x00, 0x0c, 0x00, 0x0b,
  0x0b, 0x41, 0x7f, 0x0b, 0x8e, 0x04, 0x05, 0x01, 0x7b, 0x03, 0x7f, 0x03, 0x7b, 0x06, 0x7f, 0x03,
  0x7b, 0x41, 0x0d, 0xfd, 0x0f, 0x21, 0x11, 0x41, 0x0a, 0xfd, 0x0f, 0x21, 0x12, 0x41, 0xff, 0x01,
  0xfd, 0x0f, 0x21, 0x13, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x20, 0x01, 0x4f, 0x0d, 0x01, 0x20,
  0x00, 0xfd, 0x00, 0x04, 0x00, 0x21, 0x04, 0x20, 0x04, 0x20, 0x11, 0xfd, 0x23, 0x21, 0x09, 0x20,
  0x00, 0xfd, 0x00, 0x04, 0x01, 0x20, 0x12, 0xfd, 0x23, 0x21, 0x0a, 0x20, 0x09, 0x20, 0x0a, 0xfd,
  0x4e, 0xfd, 0x64, 0x21, 0x0b, 0x20, 0x09, 0x20, 0x0a, 0xfd, 0x4f, 0x20, 0x04, 0x20, 0x13, 0xfd,
  0x23, 0xfd, 0x50, 0xfd, 0x64, 0x21, 0x0c, 0x02, 0x40, 0x03, 0x40, 0x20, 0x01, 0x20, 0x00, 0x6b,
  0x41, 0x10, 0x4d, 0x0d, 0x01, 0x20, 0x0c, 0x20, 0x0b, 0x20, 0x0b, 0x41, 0x01, 0x6b, 0x71, 0x72,
  0x0d, 0x01, 0x20, 0x00, 0xfd, 0x00, 0x04, 0x10, 0x21, 0x08, 0x20, 0x08, 0x20, 0x11, 0xfd, 0x23,
  0x21, 0x09, 0x20, 0x00, 0xfd, 0x00, 0x04, 0x11, 0x20, 0x12, 0xfd, 0x23, 0x21, 0x0a, 0x20, 0x09,
  0x20, 0x0a, 0xfd, 0x4e, 0xfd, 0x64, 0x21, 0x0d, 0x20, 0x09, 0x20, 0x0a, 0xfd, 0x4f, 0x20, 0x08,
  0x20, 0x13, 0xfd, 0x23, 0xfd, 0x50, 0xfd, 0x64, 0x21, 0x0e, 0x20, 0x0b, 0x41, 0x00, 0x47, 0x21,
  0x0f, 0x20, 0x0b, 0x41, 0x80, 0x80, 0x02, 0x72, 0x68, 0x21, 0x10, 0x20, 0x02, 0x20, 0x04, 0xfd,
  0x0b, 0x04, 0x00, 0x20, 0x02, 0x20, 0x10, 0x6a, 0x20, 0x00, 0x20, 0x10, 0x20, 0x0f, 0x6a, 0x6a,
  0xfd, 0x00, 0x04, 0x00, 0xfd, 0x0b, 0x04, 0x00, 0x20, 0x02, 0x41, 0x10, 0x20, 0x0f, 0x6b, 0x6a,
  0x21, 0x02, 0x20, 0x00, 0x41, 0x10, 0x6a, 0x21, 0x00, 0x20, 0x08, 0x21, 0x04, 0x20, 0x0d, 0x21,
  0x0b, 0x20, 0x0e, 0x21, 0x0c, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x02, 0x20, 0x04, 0xfd, 0x0b, 0x04,
  0x00, 0x20, 0x01, 0x20, 0x00, 0x6b, 0x21, 0x06, 0x20, 0x04, 0x20, 0x11, 0xfd, 0x23, 0x20, 0x04,
  0x20, 0x13, 0xfd, 0x23, 0xfd, 0x50, 0xfd, 0x64, 0x21, 0x05, 0x20, 0x06, 0x41, 0x10, 0x49, 0x04,
  0x40, 0x20, 0x05, 0x41, 0x01, 0x20, 0x06, 0x74, 0x41, 0x01, 0x6b, 0x71, 0x21, 0x05, 0x0b, 0x20,
  0x05, 0x45, 0x04, 0x40, 0x20, 0x06, 0x41, 0x10, 0x49, 0x04, 0x40, 0x20, 0x01, 0x21, 0x00, 0x20,
  0x02, 0x20, 0x06, 0x6a, 0x21, 0x02, 0x0c, 0x03, 0x0b, 0x20, 0x00, 0x41, 0x10, 0x6a, 0x21, 0x00,
  0x20, 0x02, 0x41, 0x10, 0x6a, 0x21, 0x02, 0x0c, 0x01, 0x0b, 0x20, 0x00, 0x20, 0x05, 0x68, 0x6a,
  0x21, 0x00, 0x20, 0x02, 0x20, 0x05, 0x68, 0x6a, 0x21, 0x02, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x41,
  0xff, 0x01, 0x46, 0x04, 0x40, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x20, 0x01, 0x4f, 0x0d, 0x02, 0x20,
  0x00, 0x2d, 0x00, 0x01, 0x21, 0x07, 0x20, 0x07, 0x41, 0xff, 0x01, 0x46, 0x04, 0x40, 0x20, 0x02,
  0x41, 0xff, 0x01, 0x3a, 0x00, 0x00, 0x20, 0x02, 0x41, 0x01, 0x6a, 0x21, 0x02, 0x05, 0x20, 0x03,
  0x45, 0x20, 0x07, 0x41, 0xf1, 0x01, 0x6b, 0x41, 0x08, 0x4b, 0x72, 0x0d, 0x03, 0x0b, 0x20, 0x00,
  0x41, 0x02, 0x6a, 0x21, 0x00, 0x0c, 0x01, 0x0b, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x20, 0x01, 0x4f,
  0x0d, 0x01, 0x20, 0x00, 0x2d, 0x00, 0x01, 0x21, 0x07, 0x20, 0x07, 0x41, 0x0a, 0x46, 0x04, 0x40,
  0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, 0x05, 0x20, 0x02, 0x41, 0x0d, 0x3a, 0x00, 0x00, 0x20,
  0x02, 0x41, 0x01, 0x6a, 0x21, 0x02, 0x20, 0x00, 0x41, 0x02, 0x41, 0x01, 0x20, 0x07, 0x45, 0x1b,
  0x6a, 0x21, 0x00, 0x0b, 0x0c, 0x00, 0x0b, 0x0b, 0x41, 0xfc, 0xff, 0x0b, 0x20, 0x00, 0x36, 0x02,
  0x00, 0x20, 0x02, 0x0b,
);

/** Bytes of a chunk copied at a time: a socket's read fits. */
const WINDOW = 65_536;
/** Where `r` writes: past the window and the 15 bytes the last vector may read past it. */
const OUTPUT = WINDOW + 64;
/** Where `r` says it stopped: the last word of the memory (the end of the output area). */
const OUTPUT_END = 3 * 65_536 - 4;
const STOPPED = OUTPUT_END / 4;
const IAC = 255;

const CR = 13;
const LF = 10;
const NUL = 0;
const NOP = 241;
const GA = 249;

interface Simd {
  readonly buffer: ArrayBuffer;
  readonly memory: Uint8Array;
  readonly words: Int32Array;
  readonly search: (from: number, end: number, byte: number) => number;
  readonly newlines: (from: number, end: number, to: number, skip: number) => number;
}

const instantiate = (): Simd | undefined => {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(MODULE)) return undefined;
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(MODULE));
    const { m: memory, f: search, r: newlines } = exports;
    if (!(memory instanceof WebAssembly.Memory) || typeof search !== 'function' || typeof newlines !== 'function') {
      return undefined;
    }
    return {
      buffer: memory.buffer,
      memory: new Uint8Array(memory.buffer),
      words: new Int32Array(memory.buffer),
      search: search as Simd['search'],
      newlines: newlines as Simd['newlines'],
    };
  } catch {
    return undefined; // no WebAssembly SIMD here, or compiling is forbidden
  }
};

const simd = instantiate();

/** The chunk whose window `[loadedFrom, loadedTo)` the module's memory holds. */
let loaded: Uint8Array | undefined;
let loadedFrom = 0;
let loadedTo = 0;

/** Whether the SIMD module is in use (false: `indexOf` and a byte loop). For tests and benchmarks. */
export const simdScan: boolean = simd !== undefined;

/**
 * Forgets the copy of the last chunk: called when a decoding call starts, since a source may refill the same
 * buffer between two calls. Within a call the chunk is taken as unchanging from the decoding position on (the
 * decoder may rewrite what it has passed, in place), as it is by the decoder's other caches.
 */
export const forgetScanned = (): void => {
  loaded = undefined;
};

/** Copies the window of `chunk` that starts at `at` to the module's memory, unless it holds it already. */
const load = (memory: Uint8Array, chunk: Uint8Array, at: number, end: number): void => {
  if (loaded === chunk && at >= loadedFrom && at < loadedTo) return;
  // A decoder called from a sink of another one may have loaded its own chunk meanwhile: then this reloads.
  loadedFrom = at;
  loadedTo = Math.min(end, at + WINDOW);
  memory.set(at === 0 && loadedTo === end ? chunk : chunk.subarray(at, loadedTo));
  loaded = chunk;
};

/** The index of the first `byte` in `chunk[from, end)` (`end` is the chunk's length), or -1. */
export const findPlain = (chunk: Uint8Array, byte: number, from: number, end: number): number => {
  if (simd === undefined) return chunk.indexOf(byte, from);
  const { memory, search } = simd;
  for (let at = from; at < end; at = loadedTo) {
    load(memory, chunk, at, end);
    const length = loadedTo - loadedFrom;
    const found = search(at - loadedFrom, length, byte);
    if (found >= 0 && found < length) return loadedFrom + found;
  }
  return -1;
};

/** Where the last {@link translateNewlines} or {@link translateInPlace} call stopped writing in its target. */
export const translation = { end: 0 };

/**
 * What {@link translateInPlace} wrote and has not copied to its chunk yet: `pending[pendingFrom, pendingTo)` is at
 * the start of the output area.
 */
let pending: Uint8Array | undefined;
let pendingFrom = 0;
let pendingTo = 0;

/**
 * Copies what {@link translateInPlace} wrote to its chunk. Called before the chunk's data is read, after each
 * decoding call, and before the output area is used for anything else.
 */
export const settleTranslated = (): void => {
  const chunk = pending;
  if (chunk === undefined || simd === undefined) return;
  pending = undefined;
  const count = pendingTo - pendingFrom;
  if (count > 0) chunk.set(new Uint8Array(simd.buffer, OUTPUT, count), pendingFrom);
};

/**
 * Copies `chunk[from, stop)` to `target` from `at` on under the NVT newline rules, up to the first IAC: the CR of
 * each `CR LF` and the NUL of each `CR NUL` are dropped, other CRs kept. A CR at `stop - 1` is not copied: the byte
 * after it decides, and the caller has it. Returns where it stopped (the IAC, or `stop`); `translation.end` is the
 * end of what it wrote.
 */
export const translateNewlines = (
  chunk: Uint8Array,
  from: number,
  stop: number,
  target: Uint8Array,
  at: number,
): number => {
  if (simd === undefined) return translateBytes(chunk, from, stop, target, at);
  settleTranslated();
  pend(target, at);
  const stopped = translateToPending(simd, chunk, from, stop, at, 0);
  settleTranslated();
  return stopped;
};

/**
 * {@link translateNewlines} of `chunk[from...]` to `chunk` itself from `at <= from` on, up to the first IAC or the
 * end of the chunk, except that `IAC IAC` becomes one 255 and, with `skipCommands`, the commands from NOP to GA
 * (`IAC 241` to `IAC 249`, which nobody reads then) are dropped: the run goes on past them. What it writes reaches
 * the chunk only at {@link settleTranslated} (or at a later call for another place): the translations of the data
 * runs of a chunk pile up in the module's memory, and go to the chunk in one copy when its data is read. Returns
 * where it stopped (an IAC it leaves to the caller, or the end); `translation.end` is the end of what it wrote.
 */
export const translateInPlace = (chunk: Uint8Array, from: number, at: number, skipCommands = false): number => {
  if (simd === undefined) return translateBytes(chunk, from, chunk.length, chunk, at, skipCommands);
  if (pending !== chunk || pendingTo !== at) {
    settleTranslated();
    pend(chunk, at);
  }
  return translateToPending(simd, chunk, from, chunk.length, at, skipCommands ? 1 : 0);
};

/** What is written to the output area from now on goes to `target` from `at` on. */
const pend = (target: Uint8Array, at: number): void => {
  pending = target;
  pendingFrom = at;
  pendingTo = at;
};

/**
 * The work of {@link translateNewlines} and {@link translateInPlace} (`skip` 1: commands dropped), written to the
 * output area after what is pending there (for `at`).
 */
const translateToPending = (
  simd: Simd,
  chunk: Uint8Array,
  from: number,
  stop: number,
  at: number,
  skip: number,
): number => {
  const { memory, words, newlines } = simd;
  const end = chunk.length;
  let to = at;
  let p = from;
  while (p < stop) {
    load(memory, chunk, p, end);
    const pieceEnd = stop < loadedTo ? stop : loadedTo;
    const target = pending;
    if (target !== undefined && OUTPUT + to - pendingFrom + (pieceEnd - p) + 16 > OUTPUT_END) {
      settleTranslated(); // no room left after what piled up
      pend(target, to);
    }
    const out = OUTPUT + to - pendingFrom;
    to += newlines(p - loadedFrom, pieceEnd - loadedFrom, out, skip) - out;
    pendingTo = to;
    const stopped = loadedFrom + (words[STOPPED] ?? 0);
    if (stopped < pieceEnd && chunk[stopped] === IAC) {
      p = stopped;
      break;
    }
    p = pieceEnd;
    if (pieceEnd < stop && chunk[pieceEnd - 1] === CR) {
      // The window ended on a CR, its next byte is in the next one.
      const next = chunk[pieceEnd];
      if (next !== LF) memory[OUTPUT + to++ - pendingFrom] = CR;
      pendingTo = to;
      if (next === NUL) p++;
    }
  }
  translation.end = to;
  return p;
};

/**
 * {@link translateNewlines} and {@link translateInPlace} as a byte loop, where WebAssembly SIMD is not available
 * (exported for its tests).
 */
export const translateBytes = (
  chunk: Uint8Array,
  from: number,
  stop: number,
  target: Uint8Array,
  at: number,
  skipCommands = false,
): number => {
  let to = at;
  let k = from;
  for (; k < stop; k++) {
    const byte = chunk[k] ?? 0;
    if (byte === IAC) {
      const next = chunk[k + 1] ?? 0;
      if (k + 1 === stop || (next !== IAC && !(skipCommands && next >= NOP && next <= GA))) break;
      if (next === IAC) target[to++] = IAC;
      k++;
      continue;
    }
    if (byte === CR) {
      if (k + 1 === stop) {
        k = stop;
        break;
      }
      const next = chunk[k + 1];
      if (next === LF) continue;
      if (next === NUL) k++;
    }
    target[to++] = byte;
  }
  translation.end = to;
  return k;
};
