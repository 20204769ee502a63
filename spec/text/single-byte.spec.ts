import { describe, expect, it } from 'vitest';
import { decodeSingleByte, encodeSingleByte } from '../../src/text/single-byte.js';

const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('decodeSingleByte', () => {
  it('decodes Latin-1 bytes to the code points of the same value', () => {
    const text = decodeSingleByte(allBytes, 'latin1');
    expect(Array.from(text, (char) => char.charCodeAt(0))).toEqual(Array.from(allBytes));
  });

  it('keeps 0x00-0x7F as ASCII, control bytes included, in every single-byte encoding', () => {
    const ascii = allBytes.subarray(0, 0x80);
    const expected = String.fromCharCode(...ascii);
    expect(decodeSingleByte(ascii, 'latin1')).toBe(expected);
    expect(decodeSingleByte(ascii, 'cp437')).toBe(expected);
    expect(decodeSingleByte(ascii, 'ascii')).toBe(expected);
  });

  it('decodes bytes 0x80-0xFF to U+FFFD in ASCII', () => {
    expect(decodeSingleByte(Uint8Array.of(0x41, 0x80, 0xff, 0x42), 'ascii')).toBe('A\ufffd\ufffdB');
  });

  it('decodes CP437 art mixed with ASCII and escape sequences', () => {
    const bytes = Uint8Array.of(0x1b, 0x5b, 0x31, 0x6d, 0xc9, 0xcd, 0xbb, 0x0d, 0x0a, 0xb0, 0xb1, 0xb2, 0xdb);
    expect(decodeSingleByte(bytes, 'cp437')).toBe('\u001b[1m╔═╗\r\n░▒▓█');
  });

  it('decodes inputs longer than one conversion chunk', () => {
    const bytes = new Uint8Array(20_000).fill(0x61);
    bytes[19_999] = 0xdb;
    const text = decodeSingleByte(bytes, 'cp437');
    expect(text).toHaveLength(20_000);
    expect(text.slice(-2)).toBe('a█');
    expect(decodeSingleByte(new Uint8Array(20_000).fill(0xe9), 'latin1')).toBe('é'.repeat(20_000));
  });

  it('decodes no bytes to no text', () => {
    expect(decodeSingleByte(new Uint8Array(0), 'cp437')).toBe('');
  });
});

describe('encodeSingleByte', () => {
  it('encodes the Latin-1 repertoire byte for byte', () => {
    expect(encodeSingleByte(String.fromCharCode(...allBytes), 'latin1')).toEqual(allBytes);
  });

  it('writes ? for characters outside the repertoire, one per surrogate pair', () => {
    expect(encodeSingleByte('€1😀2', 'latin1')).toEqual(Uint8Array.of(0x3f, 0x31, 0x3f, 0x32));
    expect(encodeSingleByte('é', 'ascii')).toEqual(Uint8Array.of(0x3f));
    expect(encodeSingleByte('é€', 'cp437')).toEqual(Uint8Array.of(0x82, 0x3f));
  });

  it('writes ? for lone surrogates', () => {
    expect(encodeSingleByte('a\ud800b\udc00', 'latin1')).toEqual(Uint8Array.of(0x61, 0x3f, 0x62, 0x3f));
  });

  it('encodes CP437 glyphs to their bytes', () => {
    expect(encodeSingleByte('╔═╗ ░█ αß\u00a0', 'cp437')).toEqual(
      Uint8Array.of(0xc9, 0xcd, 0xbb, 0x20, 0xb0, 0xdb, 0x20, 0xe0, 0xe1, 0xff),
    );
  });

  it('does not encode U+FFFD as a high byte in ASCII', () => {
    expect(encodeSingleByte('\ufffd', 'ascii')).toEqual(Uint8Array.of(0x3f));
  });
});
