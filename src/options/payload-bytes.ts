/**
 * Byte helpers shared by the option payload codecs: strict UTF-8 text and payload assembly.
 *
 * @internal Not part of the package's public exports.
 */
import * as E from '#fp-ts/Either';
import { payloadError, type PayloadError } from './payload-error.js';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * Decodes bytes as UTF-8, rejecting malformed sequences (no silent U+FFFD substitution).
 *
 * @internal
 */
export const decodeUtf8 = (option: number, path: string, bytes: Uint8Array): E.Either<PayloadError, string> => {
  try {
    return E.right(utf8Decoder.decode(bytes));
  } catch {
    return E.left(payloadError(option, path, 'text is not valid UTF-8'));
  }
};

/**
 * Encodes text as UTF-8 (lone surrogates become U+FFFD, as `TextEncoder` does).
 *
 * @internal
 */
export const encodeUtf8 = (text: string): Uint8Array => utf8Encoder.encode(text);

/**
 * Concatenates single bytes and byte arrays into one new payload.
 *
 * @internal
 */
export const concatBytes = (parts: readonly (number | Uint8Array)[]): Uint8Array => {
  let length = 0;
  for (const part of parts) length += typeof part === 'number' ? 1 : part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    if (typeof part === 'number') {
      out[at++] = part;
    } else {
      out.set(part, at);
      at += part.length;
    }
  }
  return out;
};

/**
 * A fresh object with no prototype, so that peer-chosen keys such as `__proto__` stay plain data.
 *
 * @internal
 */
export const nullPrototypeRecord = <V>(): Record<string, V> => Object.create(null) as Record<string, V>;

/**
 * Bytes as one character each (Latin-1); meant for text already checked to be ASCII.
 *
 * @internal
 */
export const byteText = (bytes: Uint8Array): string => {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
};
