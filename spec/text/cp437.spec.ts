import { describe, expect, it } from 'vitest';
import { cp437HighCodePoints } from '../../src/text/cp437.js';

const glyph = (byte: number): number | undefined => cp437HighCodePoints[byte - 0x80];

describe('cp437HighCodePoints', () => {
  it('lists 128 distinct non-ASCII code points', () => {
    expect(cp437HighCodePoints).toHaveLength(128);
    expect(new Set(cp437HighCodePoints).size).toBe(128);
    expect(cp437HighCodePoints.every((codePoint) => codePoint >= 0xa0 && codePoint <= 0xffff)).toBe(true);
  });

  it.each([
    [0x80, 0x00c7, 'Ç'],
    [0x81, 0x00fc, 'ü'],
    [0x9e, 0x20a7, '₧'],
    [0x9f, 0x0192, 'ƒ'],
    [0xa9, 0x2310, '⌐'],
    [0xb0, 0x2591, '░'],
    [0xb2, 0x2593, '▓'],
    [0xb3, 0x2502, '│'],
    [0xc4, 0x2500, '─'],
    [0xc9, 0x2554, '╔'],
    [0xcd, 0x2550, '═'],
    [0xdb, 0x2588, '█'],
    [0xdf, 0x2580, '▀'],
    [0xe0, 0x03b1, 'α'],
    [0xe1, 0x00df, 'ß'],
    [0xe6, 0x00b5, 'µ'],
    [0xec, 0x221e, '∞'],
    [0xf9, 0x2219, '∙'],
    [0xfa, 0x00b7, '·'],
    [0xfe, 0x25a0, '■'],
    [0xff, 0x00a0, '\u00a0'],
  ])('maps byte %i to code point %i (%s)', (byte, codePoint, char) => {
    expect(glyph(byte)).toBe(codePoint);
    expect(String.fromCharCode(codePoint)).toBe(char);
  });
});
