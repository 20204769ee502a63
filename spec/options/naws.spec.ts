import { describe, expect, it } from 'vitest';
import { decodeNaws, encodeNaws, NAWS_MAX_DIMENSION } from '../../src/options/naws.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right } from './wire.js';

describe('decodeNaws', () => {
  it('reads IAC SB NAWS 0 80 0 24 IAC SE as 80x24', () => {
    expect(right(decodeNaws(Uint8Array.of(0, 80, 0, 24)))).toEqual({ width: 80, height: 24 });
  });

  it('reads big-endian 16-bit sides, 255 included (already unescaped from IAC IAC)', () => {
    expect(right(decodeNaws(Uint8Array.of(1, 44, 0, 255)))).toEqual({ width: 300, height: 255 });
    expect(right(decodeNaws(Uint8Array.of(255, 255, 255, 255)))).toEqual({ width: 65535, height: 65535 });
  });

  it.each([[[]], [[0, 80, 0]], [[0, 80, 0, 24, 0]]])(
    'rejects a payload of %j (not 4 bytes) at path length',
    (bytes) => {
      const error = left(decodeNaws(Uint8Array.from(bytes)), TelnetOption.NAWS, 'length');
      expect(error.detail).toContain(`got ${bytes.length}`);
    },
  );
});

describe('encodeNaws', () => {
  it('writes the 4 payload bytes without escaping (255 is doubled by the frame encoder)', () => {
    expect(encodeNaws({ width: 80, height: 24 })).toEqual(Uint8Array.of(0, 80, 0, 24));
    expect(encodeNaws({ width: 300, height: 255 })).toEqual(Uint8Array.of(1, 44, 0, 255));
  });

  it('truncates and clamps each side to 0..65535', () => {
    expect(right(decodeNaws(encodeNaws({ width: 70_000, height: -3 })))).toEqual({
      width: NAWS_MAX_DIMENSION,
      height: 0,
    });
    expect(right(decodeNaws(encodeNaws({ width: 80.9, height: Number.NaN })))).toEqual({ width: 80, height: 0 });
  });
});
