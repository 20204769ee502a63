import { cp437HighCodePoints } from './cp437.js';

/** The encodings of one byte per character, all ASCII in 0x00-0x7F. @internal */
export type SingleByteEncodingName = 'latin1' | 'cp437' | 'ascii';

/** U+FFFD REPLACEMENT CHARACTER: what a byte with no character decodes to. @internal */
export const REPLACEMENT_CHARACTER = 0xfffd;

/** `'?'`: the byte written for a character the target encoding cannot represent. @internal */
export const UNENCODABLE_BYTE = 0x3f;

interface SingleByteTable {
  /** The UTF-16 code unit of each byte 0x80-0xFF, indexed by `byte - 0x80`. */
  readonly decode: Uint16Array;
  /** The byte of each non-ASCII code point the encoding can represent. */
  readonly encode: ReadonlyMap<number, number>;
}

const tableOf = (highCodePoints: readonly number[]): SingleByteTable => ({
  decode: Uint16Array.from(highCodePoints),
  encode: new Map(
    highCodePoints.flatMap((codePoint, i) =>
      codePoint === REPLACEMENT_CHARACTER ? [] : [[codePoint, 0x80 + i] as const],
    ),
  ),
});

const highHalf = (codePointOf: (byte: number) => number): number[] =>
  Array.from({ length: 0x80 }, (_, i) => codePointOf(0x80 + i));

const tables: Readonly<Record<SingleByteEncodingName, SingleByteTable>> = {
  latin1: tableOf(highHalf((byte) => byte)),
  cp437: tableOf(cp437HighCodePoints),
  ascii: tableOf(highHalf(() => REPLACEMENT_CHARACTER)),
};

/** Most arguments a single `String.fromCharCode` call gets: well below every engine's limit. */
const CHUNK = 8192;

/**
 * The string of a run of UTF-16 code units. `apply` takes any array-like at run time (ES5) and is many
 * times faster than spreading a typed array; the cast only tells TypeScript so.
 */
const fromCodeUnits = (units: Uint8Array | Uint16Array): string =>
  String.fromCharCode.apply(null, units as unknown as number[]);

const hasHighByte = (bytes: Uint8Array): boolean => {
  for (const byte of bytes) {
    if (byte >= 0x80) return true;
  }
  return false;
};

const translate = (bytes: Uint8Array, high: Uint16Array): Uint16Array => {
  const units = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    units[i] = byte < 0x80 ? byte : (high[byte - 0x80] ?? REPLACEMENT_CHARACTER);
  }
  return units;
};

/**
 * Decodes bytes of a single-byte encoding. Stateless: any split of the input decodes to the same text.
 * Runs of pure ASCII (and all of Latin-1) are converted without translation.
 * Use {@link createTextDecoder}, which picks this for the single-byte encodings.
 *
 * @internal
 */
export const decodeSingleByte = (bytes: Uint8Array, encoding: SingleByteEncodingName): string => {
  const high = tables[encoding].decode;
  let text = '';
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const chunk = bytes.subarray(start, start + CHUNK);
    const identity = encoding === 'latin1' || !hasHighByte(chunk);
    text += fromCodeUnits(identity ? chunk : translate(chunk, high));
  }
  return text;
};

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * Encodes text into a single-byte encoding. A character the encoding cannot represent (a surrogate pair
 * counts as one character) becomes `'?'` (0x3F). Use {@link encodeString}, which picks this for the
 * single-byte encodings.
 *
 * @internal
 */
export const encodeSingleByte = (text: string, encoding: SingleByteEncodingName): Uint8Array => {
  const table = tables[encoding].encode;
  const bytes = new Uint8Array(text.length);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      bytes[length++] = unit;
      continue;
    }
    if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    bytes[length++] = table.get(unit) ?? UNENCODABLE_BYTE;
  }
  return length === bytes.length ? bytes : bytes.subarray(0, length);
};
