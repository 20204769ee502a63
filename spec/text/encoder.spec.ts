import { describe, expect, it } from 'vitest';
import { encodeString } from '../../src/text/encoder.js';

describe('encodeString', () => {
  it('encodes UTF-8', () => {
    expect(encodeString('é€😀', 'utf-8')).toEqual(Uint8Array.of(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80));
  });

  it('encodes a lone surrogate as U+FFFD in UTF-8', () => {
    expect(encodeString('\ud800', 'utf-8')).toEqual(Uint8Array.of(0xef, 0xbf, 0xbd));
  });

  it('encodes the single-byte encodings with ? for unencodable characters', () => {
    expect(encodeString('ü€', 'latin1')).toEqual(Uint8Array.of(0xfc, 0x3f));
    expect(encodeString('ü€', 'cp437')).toEqual(Uint8Array.of(0x81, 0x3f));
    expect(encodeString('ü€', 'ascii')).toEqual(Uint8Array.of(0x3f, 0x3f));
  });

  it('encodes the empty string to no bytes', () => {
    expect(encodeString('', 'utf-8')).toHaveLength(0);
    expect(encodeString('', 'cp437')).toHaveLength(0);
  });
});
