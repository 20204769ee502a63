/**
 * The compression engines MCCP2 and MCCP3 need, as plain interfaces: the core drives them, an adapter implements
 * them (`nodeCompression` from `rxtelnet/node` with `node:zlib`; a browser build can bring its own).
 *
 * Both directions are zlib streams (RFC 1950), fed chunk by chunk. Engines may work asynchronously: results come
 * through the sink callbacks, always in the order of the writes that caused them, never after an `error` or a
 * `destroy()`.
 *
 * @module
 */
import { TelnetOption } from '../protocol/options.js';

/**
 * Receives what an {@link Inflater} decodes.
 *
 * @example
 * ```ts
 * import type { InflaterSink } from 'rxtelnet';
 * const sink: InflaterSink = {
 *   data: (bytes) => console.log('decompressed', bytes.length),
 *   end: (rest) => console.log(`compression ended, ${rest.length} plain bytes follow`),
 *   error: (error) => console.error(error.message),
 * };
 * ```
 */
export interface InflaterSink {
  /** Decompressed bytes, in order. */
  data(bytes: Uint8Array): void;
  /**
   * The compressed stream ended (the peer finished it). `rest` holds every byte written after its end, in order:
   * they are not compressed and go back to the plain byte stream. Called once, after the last `data`.
   */
  end(rest: Uint8Array): void;
  /**
   * The stream cannot be decoded: a `DecompressionError` (from `rxtelnet`) with reason `'Corrupt'` or, past
   * {@link InflaterOptions.maxOutputPerInput} or {@link InflaterOptions.maxRatio}, `'TooLarge'`. Every byte that
   * inflated before the fault was passed to `data` first. No callback follows.
   */
  error(error: Error): void;
}

/**
 * Decompresses one zlib stream, fed in arbitrary chunks.
 *
 * @example
 * ```ts
 * import type { Inflater } from 'rxtelnet';
 * const feed = (inflater: Inflater, chunk: Uint8Array): void => inflater.write(chunk);
 * ```
 */
export interface Inflater {
  /**
   * Feeds compressed bytes. The chunk is kept (not copied) until the engine has consumed it: do not reuse its
   * memory. Once the end of the stream has been seen, later writes are not decoded: they end up in `rest` if
   * `end` has not been called yet, and are ignored after it.
   *
   * An engine may notice the end of a stream that ends exactly at the end of a write only on the next write
   * (`node:zlib` does); the bytes of that write are then all `rest`.
   */
  write(chunk: Uint8Array): void;
  /**
   * No more input will come (the connection closed): deliver what the bytes written so far inflate to, then call
   * the sink's `end` (with an empty `rest` when the compressed stream itself did not end) or `error`.
   */
  finish(): void;
  /** Stops at once and releases the engine: no callback follows. */
  destroy(): void;
}

/**
 * Limits of an {@link Inflater}.
 *
 * @example
 * ```ts
 * import type { InflaterOptions } from 'rxtelnet';
 * const strict: InflaterOptions = { maxOutputPerInput: 1024 * 1024 };
 * ```
 */
export interface InflaterOptions {
  /** The option the stream belongs to, named in errors: `TelnetOption.MCCP2` (the default) or `MCCP3`. */
  readonly option?: number;
  /**
   * The most bytes one written chunk may inflate to; default 8 MiB. Past it the inflater reports an error and
   * stops, so a compression bomb fails instead of exhausting memory.
   */
  readonly maxOutputPerInput?: number;
  /**
   * The bound over the whole stream, however it is paced: the bytes inflated so far may not exceed
   * `ratioAllowance + maxRatio * compressed bytes so far`. Default 100: MUD servers flush after every write,
   * which keeps real traffic far below it (about 3 to 20 here), while a bomb inflates about 1,000 to 1.
   */
  readonly maxRatio?: number;
  /** The inflated bytes allowed on top of `maxRatio * compressed`, for a burst early in the stream; default 4 MiB. */
  readonly ratioAllowance?: number;
}

/**
 * The defaults of {@link InflaterOptions}: MCCP2, 8 MiB per written chunk, and over the stream at most 4 MiB plus
 * 100 times the compressed bytes.
 *
 * @example
 * ```ts
 * import { defaultInflaterOptions } from 'rxtelnet';
 * defaultInflaterOptions.maxOutputPerInput; // 8388608
 * defaultInflaterOptions.maxRatio; // 100
 * ```
 */
export const defaultInflaterOptions = {
  option: TelnetOption.MCCP2,
  maxOutputPerInput: 8 * 1024 * 1024,
  maxRatio: 100,
  ratioAllowance: 4 * 1024 * 1024,
} as const satisfies Required<InflaterOptions>;

/**
 * Starts an {@link Inflater} that reports to `sink`.
 *
 * @example
 * ```ts
 * import type { CreateInflater } from 'rxtelnet';
 * import { nodeCompression } from 'rxtelnet/node';
 * const createInflater: CreateInflater = nodeCompression.inflater;
 * const inflater = createInflater({ data: console.log, end: console.log, error: console.error });
 * ```
 */
export type CreateInflater = (sink: InflaterSink, options?: InflaterOptions) => Inflater;

/**
 * Receives what a {@link Deflater} produces.
 *
 * @example
 * ```ts
 * import type { DeflaterSink } from 'rxtelnet';
 * const sink: DeflaterSink = {
 *   data: (bytes) => console.log('to the wire', bytes.length),
 *   end: () => console.log('compressed stream finished: plain bytes may follow'),
 *   error: (error) => console.error(error.message),
 * };
 * ```
 */
export interface DeflaterSink {
  /** Compressed bytes to send, in order. */
  data(bytes: Uint8Array): void;
  /**
   * After {@link Deflater.end}: the last compressed bytes have been passed to `data`. Only now may plain bytes
   * follow on the wire, since the engine may be asynchronous.
   */
  end(): void;
  /** The engine failed; no callback follows. */
  error(error: Error): void;
}

/**
 * Compresses into one zlib stream.
 *
 * @example
 * ```ts
 * import type { Deflater } from 'rxtelnet';
 * const finish = (deflater: Deflater, lastWords: Uint8Array): void => {
 *   deflater.write(lastWords);
 *   deflater.end();
 * };
 * ```
 */
export interface Deflater {
  /** Compresses `chunk` and flushes (`Z_SYNC_FLUSH`), so that the peer can decode it without waiting for more. */
  write(chunk: Uint8Array): void;
  /** Finishes the stream (`Z_FINISH`): its last bytes go to `data`, then the sink's `end` is called. */
  end(): void;
  /** Stops at once and releases the engine: no callback follows. */
  destroy(): void;
  /**
   * The bytes written and not yet passed to `data` (input waiting in an asynchronous engine). A connection counts
   * them against its `maxBufferedOutput`; without it, it counts what was written since the last `data`.
   */
  bufferedBytes?(): number;
}

/**
 * Starts a {@link Deflater} that reports to `sink`.
 *
 * @example
 * ```ts
 * import type { CreateDeflater } from 'rxtelnet';
 * import { nodeCompression } from 'rxtelnet/node';
 * const createDeflater: CreateDeflater = nodeCompression.deflater;
 * const deflater = createDeflater({ data: console.log, end: () => undefined, error: console.error });
 * ```
 */
export type CreateDeflater = (sink: DeflaterSink) => Deflater;

/**
 * A pair of engines for MCCP2 and MCCP3, handed to the connection.
 *
 * @example
 * ```ts
 * import type { Compression } from 'rxtelnet';
 * import { nodeCompression } from 'rxtelnet/node';
 * const compression: Compression = nodeCompression;
 * ```
 */
export interface Compression {
  readonly inflater: CreateInflater;
  readonly deflater: CreateDeflater;
}

/**
 * {@link InflaterOptions} with the defaults filled in; a `RangeError` for a bound that is not a number above 0
 * (`ratioAllowance`: 0 or more). `Infinity` turns a bound off.
 *
 * @internal Shared by the engines and the connection, which checks its options when it is created.
 */
export const inflaterLimits = (options: InflaterOptions = {}): Required<InflaterOptions> => {
  const limits = {
    option: options.option ?? defaultInflaterOptions.option,
    maxOutputPerInput: options.maxOutputPerInput ?? defaultInflaterOptions.maxOutputPerInput,
    maxRatio: options.maxRatio ?? defaultInflaterOptions.maxRatio,
    ratioAllowance: options.ratioAllowance ?? defaultInflaterOptions.ratioAllowance,
  };
  const invalid = (name: string, value: number, least: string): RangeError =>
    new RangeError(`inflater: ${name} must be a number ${least} (or Infinity), got ${value}`);
  if (!(limits.maxOutputPerInput > 0)) throw invalid('maxOutputPerInput', limits.maxOutputPerInput, '> 0');
  if (!(limits.maxRatio > 0)) throw invalid('maxRatio', limits.maxRatio, '> 0');
  if (!(limits.ratioAllowance >= 0)) throw invalid('ratioAllowance', limits.ratioAllowance, '>= 0');
  return limits;
};
