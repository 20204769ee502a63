import type { TextEncodingName } from './encodings.js';
import { encodeSingleByte } from './single-byte.js';

const utf8Encoder = new TextEncoder();

/**
 * The bytes of `text` in `encoding`. Never throws:
 *
 * - `'utf-8'` encodes every code point; a lone surrogate (not well-formed UTF-16) becomes U+FFFD.
 * - `'latin1'`, `'cp437'` and `'ascii'` write `'?'` (0x3F) for each character outside their repertoire
 *   (a surrogate pair is one character, one `'?'`).
 *
 * @example
 * ```ts
 * import { encodeString } from 'rxtelnet';
 * encodeString('╔═╗', 'cp437'); // Uint8Array [0xc9, 0xcd, 0xbb]
 * encodeString('€5', 'latin1'); // Uint8Array [0x3f, 0x35], '?5'
 * ```
 */
export const encodeString = (text: string, encoding: TextEncodingName): Uint8Array =>
  encoding === 'utf-8' ? utf8Encoder.encode(text) : encodeSingleByte(text, encoding);
