/**
 * The byte search of the decoder over a plain `Uint8Array`, whose `indexOf` is a slow byte loop (a Node `Buffer`'s
 * is memchr, and the parser asks it directly). A 16-byte SIMD loop in a tiny WebAssembly module (hand-assembled
 * below, 102 bytes) searches a copy of the chunk: the copy, made once per window of 64 KiB, costs less than what
 * the SIMD loop saves even on runs of a few dozen bytes. Where WebAssembly SIMD is not available (or a content
 * security policy forbids compiling), `indexOf` does the search.
 *
 * The module exports a memory `m` (one 64 KiB page) and `f(from, end, byte)`: the index of the first `byte` in
 * `m[from, end)`, or -1; it reads up to 15 bytes past `end` (the window leaves room), and may report a hit there,
 * which the caller discards:
 *
 * ```wat
 * (func (param $p i32) (param $end i32) (param $byte i32) (result i32) (local $v v128) (local $m i32)
 *   (local.set $v (i8x16.splat (local.get $byte)))
 *   (block (loop
 *     (br_if 1 (i32.ge_u (local.get $p) (local.get $end)))
 *     (if (local.tee $m (i8x16.bitmask (i8x16.eq (v128.load (local.get $p)) (local.get $v))))
 *       (then (return (i32.add (local.get $p) (i32.ctz (local.get $m))))))
 *     (local.set $p (i32.add (local.get $p) (i32.const 16)))
 *     (br 0)))
 *   (i32.const -1))
 * ```
 *
 * @internal
 * @module
 */

// prettier-ignore
const MODULE = Uint8Array.of(
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, // type: (i32 i32 i32) -> i32
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x05, 0x03, 0x01, 0x00, 0x01, // memory: one page, no maximum
  0x07, 0x09, 0x02, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x66, 0x00, 0x00, // exports "m" (memory 0), "f" (function 0)
  0x0a, 0x3e, 0x01, 0x3c, // code: one body of 60 bytes
  0x02, 0x01, 0x7b, 0x01, 0x7f, // locals: $v v128, $m i32
  0x20, 0x02, 0xfd, 0x0f, 0x21, 0x03, // $v = i8x16.splat($byte)
  0x02, 0x40, 0x03, 0x40, // block, loop
  0x20, 0x00, 0x20, 0x01, 0x4f, 0x0d, 0x01, // br_if 1 ($p >= $end)
  0x20, 0x00, 0xfd, 0x00, 0x00, 0x00, 0x20, 0x03, 0xfd, 0x23, 0xfd, 0x64, 0x22, 0x04, // $m = bitmask(load($p) == $v)
  0x04, 0x40, 0x20, 0x00, 0x20, 0x04, 0x68, 0x6a, 0x0f, 0x0b, // if ($m) return $p + ctz($m)
  0x20, 0x00, 0x41, 0x10, 0x6a, 0x21, 0x00, 0x0c, 0x00, // $p += 16; br 0
  0x0b, 0x0b, 0x41, 0x7f, 0x0b, // end loop, end block, -1
);

/** Bytes of a chunk copied at a time: one page, less the 15 bytes the last vector may read past the window. */
const WINDOW = 65_536 - 16;

interface Simd {
  readonly memory: Uint8Array;
  readonly search: (from: number, end: number, byte: number) => number;
}

const instantiate = (): Simd | undefined => {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(MODULE)) return undefined;
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(MODULE));
    const memory = exports.m;
    const search = exports.f;
    if (!(memory instanceof WebAssembly.Memory) || typeof search !== 'function') return undefined;
    return { memory: new Uint8Array(memory.buffer), search: search as Simd['search'] };
  } catch {
    return undefined; // no WebAssembly SIMD here, or compiling is forbidden
  }
};

const simd = instantiate();

/** The chunk whose window `[loadedFrom, loadedTo)` the module's memory holds. */
let loaded: Uint8Array | undefined;
let loadedFrom = 0;
let loadedTo = 0;

/** Whether the SIMD search is in use (false: `indexOf`). For tests and benchmarks. */
export const simdScan: boolean = simd !== undefined;

/**
 * Forgets the copy of the last chunk: called when a decoding call starts, since a source may refill the same
 * buffer between two calls. Within a call the chunk is taken as unchanging, as it is by the decoder's other caches.
 */
export const forgetScanned = (): void => {
  loaded = undefined;
};

/** The index of the first `byte` in `chunk[from, end)` (`end` is the chunk's length), or -1. */
export const findPlain = (chunk: Uint8Array, byte: number, from: number, end: number): number => {
  if (simd === undefined) return chunk.indexOf(byte, from);
  const { memory, search } = simd;
  for (let at = from; at < end; at = loadedTo) {
    if (loaded !== chunk || at < loadedFrom || at >= loadedTo) {
      // A decoder called from a sink of another one may have loaded its own chunk meanwhile: then this reloads.
      loadedFrom = at;
      loadedTo = Math.min(end, at + WINDOW);
      memory.set(at === 0 && loadedTo === end ? chunk : chunk.subarray(at, loadedTo));
      loaded = chunk;
    }
    const length = loadedTo - loadedFrom;
    const found = search(at - loadedFrom, length, byte);
    if (found >= 0 && found < length) return loadedFrom + found;
  }
  return -1;
};
