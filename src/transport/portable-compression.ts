/**
 * MCCP2/MCCP3 compression in plain JavaScript, for browsers and any other engine without `node:zlib`: inflating
 * with fflate's streaming raw-deflate decoder (we read the zlib header and the Adler-32 trailer ourselves, which
 * locates the exact end of the stream), compressing with our own zlib writer (src/transport/zlib-writer.ts).
 *
 * @module
 */
import { Inflate } from 'fflate/browser';
import { DecompressionError } from '../negotiation/errors.js';
import { defaultInflaterOptions } from './compression.js';
import type { Compression, CreateDeflater, CreateInflater } from './compression.js';
import { adler32, createZlibWriter, MAX_WINDOW_BITS } from './zlib-writer.js';

/**
 * What fflate's `Inflate` keeps, beyond its public API: `p`, the input not consumed yet, and `s`, the decoder's
 * state (`f`: the final block has started, `l`: a block is still open, `p`: the bit position in `p`, `b`: the
 * bytes of window in `o`). They tell where the deflate stream ends. `o` is the window followed by room for
 * output: fflate makes it at least 128 KiB longer than what it holds before each push, a fresh allocation of
 * 160 KiB per push of a small chunk, so we lend it a buffer that long instead. Checked when an inflater starts,
 * so a version of fflate that renames them fails loudly (the dependency is pinned to 0.8.x).
 */
interface InflateInternals {
  readonly p: Uint8Array;
  o: Uint8Array;
  readonly s: { readonly f?: number; readonly l?: unknown; readonly p?: number; readonly b: number };
}

/** A deflate stream inflates to at most about 1,032 bytes per compressed byte (258 bytes per 2-bit match). */
const MAX_DEFLATE_RATIO = 1032;
/** Input is fed to the decoder in slices no longer than this (and shorter close to a bound). */
const MAX_SLICE = 16 * 1024;
const MIN_SLICE = 64;
/** The window, plus the room fflate wants free behind what it decodes (it grows the buffer beyond that itself). */
const WORKSPACE = 32 * 1024 + 128 * 1024 + 4 * 1024;
const EMPTY = new Uint8Array(0);

const internalsOf = (engine: Inflate): InflateInternals => {
  const internals = engine as unknown as Partial<InflateInternals>;
  if (
    !(internals.p instanceof Uint8Array) ||
    !(internals.o instanceof Uint8Array) ||
    typeof internals.s !== 'object' ||
    typeof internals.s.b !== 'number'
  ) {
    throw new Error('portableCompression: this version of fflate keeps its inflate state elsewhere');
  }
  return internals as InflateInternals;
};

const concat = (first: Uint8Array, second: Uint8Array): Uint8Array => {
  if (first.length === 0) return second;
  if (second.length === 0) return first;
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
};

/** A zlib header (RFC 1950): deflate with a window of at most 32 KiB, no preset dictionary, a valid check. */
const isZlibHeader = (cmf: number, flg: number): boolean =>
  (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (flg & 0x20) === 0 && ((cmf << 8) | flg) % 31 === 0;

/**
 * The inflater: synchronous, so every callback comes from within `write` or `finish`. Input goes to fflate in
 * slices short enough that no slice can inflate far past the room left under either bound; output past a bound is
 * cut at the bound, delivered, and then the error follows.
 */
const createPortableInflater: CreateInflater = (sink, options = {}) => {
  const option = options.option ?? defaultInflaterOptions.option;
  const maxPerInput = options.maxOutputPerInput ?? defaultInflaterOptions.maxOutputPerInput;
  const maxRatio = options.maxRatio ?? defaultInflaterOptions.maxRatio;
  const allowance = options.ratioAllowance ?? defaultInflaterOptions.ratioAllowance;

  let produced: Uint8Array = EMPTY;
  const engine = new Inflate((bytes) => {
    produced = bytes;
  });
  const internals = internalsOf(engine);
  /** Lent to fflate as its output buffer for each push, with the window copied to its start. */
  let workspace: Uint8Array | undefined;
  let phase: 'header' | 'body' | 'trailer' | 'done' = 'header';
  /** Header or trailer bytes gathered so far. */
  let gathered: number[] = [];
  let compressedBytes = 0;
  let inflatedBytes = 0;
  let check = 1;

  const fail = (error: DecompressionError): void => {
    phase = 'done';
    sink.error(error);
  };

  /** Passes on what one slice inflated to; false when a bound was passed (the error has been reported). */
  const deliver = (bytes: Uint8Array, room: number): boolean => {
    if (bytes.length > room) {
      if (room > 0) sink.data(bytes.subarray(0, room));
      if (phase !== 'done') fail(new DecompressionError(option, 'TooLarge'));
      return false;
    }
    inflatedBytes += bytes.length;
    check = adler32(check, bytes);
    if (bytes.length > 0) sink.data(bytes);
    return phase !== 'done';
  };

  /** Decodes `input` from `at` in the body phase; returns where the body ended in it, or -1 to stop. */
  const body = (input: Uint8Array, start: number, outputBefore: number): { at: number; input: Uint8Array } | -1 => {
    let at = start;
    let written = outputBefore;
    while (at < input.length) {
      const room = Math.min(maxPerInput - written, allowance + maxRatio * compressedBytes - inflatedBytes);
      const length = Math.max(MIN_SLICE, Math.min(MAX_SLICE, Math.ceil(room / MAX_DEFLATE_RATIO)));
      const slice = input.subarray(at, at + length);
      at += slice.length;
      compressedBytes += slice.length;
      produced = EMPTY;
      const window = internals.o.subarray(0, internals.s.b);
      workspace ??= new Uint8Array(WORKSPACE);
      if (window.buffer !== workspace.buffer) {
        workspace.set(window);
        internals.o = workspace;
      }
      try {
        engine.push(slice);
      } catch (error) {
        fail(new DecompressionError(option, 'Corrupt', error));
        return -1;
      }
      const roomNow = Math.min(maxPerInput - written, allowance + maxRatio * compressedBytes - inflatedBytes);
      written += produced.length;
      if (!deliver(produced, roomNow)) return -1;
      const state = internals.s;
      if (state.f === 1 && (state.l === undefined || state.l === null)) {
        // The last block is complete: what fflate has not consumed, from the next byte boundary, is the trailer
        // and the plain bytes after it.
        phase = 'trailer';
        const left = internals.p.subarray((state.p ?? 0) > 0 ? 1 : 0);
        return { at: 0, input: concat(left, input.subarray(at)) };
      }
    }
    return { at, input };
  };

  return {
    write: (chunk) => {
      if (phase === 'done' || chunk.length === 0) return;
      let input = chunk;
      let at = 0;
      if (phase === 'header') {
        while (gathered.length < 2 && at < input.length) gathered.push(input[at++] ?? 0);
        if (gathered.length < 2) return;
        compressedBytes += 2;
        if (!isZlibHeader(gathered[0] ?? 0, gathered[1] ?? 0)) {
          fail(new DecompressionError(option, 'Corrupt', new Error('not a zlib stream (bad header)')));
          return;
        }
        gathered = [];
        phase = 'body';
      }
      if (phase === 'body') {
        const outcome = body(input, at, 0);
        if (outcome === -1) return;
        ({ input, at } = outcome);
      }
      if (phase === 'trailer') {
        while (gathered.length < 4 && at < input.length) gathered.push(input[at++] ?? 0);
        if (gathered.length < 4) return;
        const [a = 0, b = 0, c = 0, d = 0] = gathered;
        phase = 'done';
        if (((a << 24) | (b << 16) | (c << 8) | d) >>> 0 !== check) {
          sink.error(new DecompressionError(option, 'Corrupt', new Error('incorrect data check (Adler-32)')));
          return;
        }
        sink.end(input.subarray(at));
      }
    },
    finish: () => {
      if (phase === 'done') return;
      phase = 'done';
      sink.end(EMPTY);
    },
    destroy: () => {
      phase = 'done';
    },
  };
};

/**
 * rxtelnet's own MCCP deflater, in plain JavaScript: synchronous (its `data` comes from within `write` and `end`),
 * each write compressed with fixed Huffman codes and sync-flushed at once, like `Z_SYNC_FLUSH`. `windowBits` (9 to
 * 15, default 15) sets how far back it looks for repeats, and its memory: about 7 bytes per window byte, so 28 KiB
 * with `windowBits: 12`, where a `node:zlib` deflate stream holds about 240 KiB. Any inflater reads the stream
 * (its header names the window). An invalid `windowBits` is a `RangeError` when the factory is made.
 *
 * @example
 * ```ts
 * import { portableCompression, portableDeflater } from 'rxtelnet';
 * import type { Compression } from 'rxtelnet';
 * // A server holding thousands of compressed streams: a 4 KiB window each.
 * const compression: Compression = { inflater: portableCompression.inflater, deflater: portableDeflater({ windowBits: 12 }) };
 * ```
 */
export const portableDeflater = (options: { readonly windowBits?: number } = {}): CreateDeflater => {
  const windowBits = options.windowBits ?? MAX_WINDOW_BITS;
  createZlibWriter(windowBits); // checks windowBits now rather than at the first compressed stream
  return (sink) => {
    const writer = createZlibWriter(windowBits);
    let done = false;
    const guarded = (step: () => void): void => {
      try {
        step();
      } catch (error) {
        done = true;
        sink.error(error instanceof Error ? error : new Error(String(error)));
      }
    };
    return {
      write: (chunk) => {
        if (done || chunk.length === 0) return;
        guarded(() => {
          sink.data(writer.write(chunk));
        });
      },
      end: () => {
        if (done) return;
        done = true;
        guarded(() => {
          sink.data(writer.end());
          sink.end();
        });
      },
      destroy: () => {
        done = true;
      },
    };
  };
};

/**
 * MCCP2/MCCP3 compression in plain JavaScript (zlib streams, RFC 1950), for browsers: the default of
 * `connectWebSocket`, and usable anywhere. It keeps the contract of `nodeCompression` from `rxtelnet/node`: the
 * inflater finds the exact end of the compressed stream (the plain bytes after it come back in `end`), errors
 * with a `DecompressionError` (`'Corrupt'`, or `'TooLarge'` past `maxOutputPerInput` for one write or past
 * `ratioAllowance + maxRatio × compressed bytes` over the stream, having delivered the output up to that bound),
 * and never holds much more than the bound (input is inflated in slices). The deflater flushes every write like
 * `Z_SYNC_FLUSH`. Both work synchronously: their callbacks come from within `write`, `end` and `finish`.
 *
 * @example
 * ```ts
 * import { portableCompression } from 'rxtelnet';
 * const chunks: Uint8Array[] = [];
 * const deflater = portableCompression.deflater({
 *   data: (bytes) => chunks.push(bytes),
 *   end: () => undefined,
 *   error: (error) => console.error(error.message),
 * });
 * deflater.write(new TextEncoder().encode('look\r\n'));
 * deflater.end();
 * const inflater = portableCompression.inflater({
 *   data: (bytes) => console.log(new TextDecoder().decode(bytes)), // look
 *   end: (rest) => console.log(`${rest.length} plain bytes after the stream`),
 *   error: (error) => console.error(error.message),
 * });
 * for (const chunk of chunks) inflater.write(chunk);
 * ```
 */
export const portableCompression: Compression = {
  inflater: createPortableInflater,
  deflater: portableDeflater(),
};
