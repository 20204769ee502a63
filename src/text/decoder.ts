import type { TextEncodingName } from './encodings.js';
import { decodeSingleByte, type SingleByteEncodingName } from './single-byte.js';

/**
 * Decodes a byte stream chunk by chunk; see {@link createTextDecoder}.
 *
 * @example
 * ```ts
 * import { createTextDecoder, type StreamingTextDecoder } from 'rxtelnet';
 * const decoder: StreamingTextDecoder = createTextDecoder('utf-8');
 * decoder.decode(Uint8Array.of(0xc3), true); // ''
 * decoder.decode(Uint8Array.of(0xa9), true); // 'é'
 * ```
 */
export interface StreamingTextDecoder {
  readonly encoding: TextEncodingName;
  /**
   * The text of `bytes`. With `stream: true` a character whose bytes are not all there yet is held back
   * for the next call; with `stream: false` the input ends here: held-back bytes decode to U+FFFD and the
   * decoder starts afresh (`decode(new Uint8Array(0), false)` flushes).
   */
  decode(bytes: Uint8Array, stream: boolean): string;
}

const createUtf8Decoder = (): StreamingTextDecoder => {
  // ignoreBOM: a U+FEFF at the start of a connection, or after a CHARSET switch, is text like any other.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return {
    encoding: 'utf-8',
    decode: (bytes, stream) => decoder.decode(bytes, { stream }),
  };
};

const createSingleByteDecoder = (encoding: SingleByteEncodingName): StreamingTextDecoder => ({
  encoding,
  decode: (bytes) => decodeSingleByte(bytes, encoding),
});

/**
 * A streaming decoder for one encoding, with the semantics of the global `TextDecoder`:
 *
 * - `'utf-8'` uses `TextDecoder` (no `fatal`): an invalid sequence decodes to U+FFFD, a character split
 *   across chunks comes out whole with the chunk that completes it, and a leading BOM is kept as U+FEFF.
 * - `'latin1'`, `'cp437'` and `'ascii'` use fixed tables: every byte is one character, so chunks never hold
 *   anything back. `'ascii'` decodes bytes 0x80-0xFF to U+FFFD; `'cp437'` decodes 0x00-0x7F as ASCII.
 *
 * Each call creates independent state: use one decoder per stream.
 *
 * @example
 * ```ts
 * import { createTextDecoder } from 'rxtelnet';
 * const decoder = createTextDecoder('cp437');
 * decoder.decode(Uint8Array.of(0xc9, 0xcd, 0xbb), true); // '╔═╗'
 * ```
 */
export const createTextDecoder = (encoding: TextEncodingName): StreamingTextDecoder =>
  encoding === 'utf-8' ? createUtf8Decoder() : createSingleByteDecoder(encoding);
