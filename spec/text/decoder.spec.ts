import { describe, expect, it } from 'vitest';
import { createTextDecoder } from '../../src/text/decoder.js';
import { textEncodingNames } from '../../src/text/encodings.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Decodes `bytes` as two chunks cut at `at`, then flushes. */
const decodeSplit = (bytes: Uint8Array, at: number): string[] => {
  const decoder = createTextDecoder('utf-8');
  return [
    decoder.decode(bytes.subarray(0, at), true),
    decoder.decode(bytes.subarray(at), true),
    decoder.decode(new Uint8Array(0), false),
  ];
};

describe('createTextDecoder, UTF-8', () => {
  it.each(['é', '€', '😀', 'a€b😀c'])('keeps %s whole when split at every byte boundary', (text) => {
    const bytes = utf8(text);
    for (let at = 0; at <= bytes.length; at++) {
      const [first = '', second = '', flushed = ''] = decodeSplit(bytes, at);
      expect(first + second).toBe(text);
      expect(flushed).toBe('');
      expect(first).not.toContain('\ufffd');
    }
  });

  it('holds back a character until its last byte arrives', () => {
    const decoder = createTextDecoder('utf-8');
    expect(decoder.decode(Uint8Array.of(0xf0), true)).toBe('');
    expect(decoder.decode(Uint8Array.of(0x9f), true)).toBe('');
    expect(decoder.decode(Uint8Array.of(0x98), true)).toBe('');
    expect(decoder.decode(Uint8Array.of(0x80, 0x21), true)).toBe('😀!');
  });

  it.each([
    ['a byte that never starts a character', [0x61, 0xff, 0x62], 'a\ufffdb'],
    ['a lone continuation byte', [0x80], '\ufffd'],
    ['an overlong encoding', [0xc0, 0x80], '\ufffd\ufffd'],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], '\ufffd\ufffd\ufffd'],
    ['a sequence cut short by ASCII', [0xe2, 0x82, 0x41], '\ufffdA'],
  ])('decodes %s to U+FFFD', (_, bytes, expected) => {
    expect(createTextDecoder('utf-8').decode(Uint8Array.from(bytes), false)).toBe(expected);
  });

  it('flushes a truncated character as U+FFFD and starts afresh', () => {
    const decoder = createTextDecoder('utf-8');
    expect(decoder.decode(Uint8Array.of(0x61, 0xe2, 0x82), true)).toBe('a');
    expect(decoder.decode(new Uint8Array(0), false)).toBe('\ufffd');
    expect(decoder.decode(Uint8Array.of(0xac), false)).toBe('\ufffd');
    expect(decoder.decode(utf8('ok'), false)).toBe('ok');
  });

  it('keeps a byte order mark as U+FEFF', () => {
    expect(createTextDecoder('utf-8').decode(utf8('\ufeffhi'), false)).toBe('\ufeffhi');
  });
});

describe('createTextDecoder, single-byte encodings', () => {
  it.each([
    [0xb0, '\u2591'],
    [0xdb, '\u2588'],
    [0x80, '\u00c7'],
    [0xe1, '\u00df'],
    [0xff, '\u00a0'],
    [0x1b, '\u001b'],
    [0x07, '\u0007'],
  ])('decodes CP437 byte %i to %j', (byte, expected) => {
    expect(createTextDecoder('cp437').decode(Uint8Array.of(byte), true)).toBe(expected);
  });

  it('round-trips every Latin-1 byte through the decoder', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = createTextDecoder('latin1').decode(bytes, false);
    expect(text).toHaveLength(256);
    expect(Uint8Array.from(text, (char) => char.charCodeAt(0))).toEqual(bytes);
  });

  it('decodes each byte on its own: nothing is held back between chunks', () => {
    const decoder = createTextDecoder('ascii');
    expect(decoder.decode(Uint8Array.of(0x68, 0xc3), true)).toBe('h\ufffd');
    expect(decoder.decode(Uint8Array.of(0xa9), true)).toBe('\ufffd');
    expect(decoder.decode(new Uint8Array(0), false)).toBe('');
  });

  it('reports its encoding', () => {
    expect(textEncodingNames.map((name) => createTextDecoder(name).encoding)).toEqual(textEncodingNames);
  });
});
