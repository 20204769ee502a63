/**
 * `portableDeflater`: the window it is given bounds what it matches and what it holds, and a bad `windowBits` is
 * a RangeError when the factory is made, not when a peer first asks for compression.
 */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { portableCompression, portableDeflater } from '../../src/transport/portable-compression.js';
import { deflate, text } from './compression-helpers.js';

describe('portableDeflater', () => {
  it.each([0, 8, 16, 12.5, Number.NaN, Infinity])('refuses windowBits %s with a RangeError', (windowBits) => {
    expect(() => portableDeflater({ windowBits })).toThrow(RangeError);
  });

  it.each([9, 10, 12, 15])('names a %i-bit window in the header and never reaches further back', async (bits) => {
    const original = text(200_000);
    const engine = { inflater: portableCompression.inflater, deflater: portableDeflater({ windowBits: bits }) };
    const wire = Buffer.concat(await deflate(engine, [original.subarray(0, 70_000), original.subarray(70_000)]));
    expect(wire[0]).toBe(((bits - 8) << 4) | 8);
    expect(((wire[0] ?? 0) * 256 + (wire[1] ?? 0)) % 31).toBe(0);
    expect(inflateSync(wire, { windowBits: bits }).equals(original)).toBe(true);
  });

  it('compresses MUD text nearly as well with a 4 KiB window as with 32 KiB', async () => {
    const original = text(100_000);
    const pieces = Array.from({ length: 100 }, (_, index) => original.subarray(index * 1000, (index + 1) * 1000));
    const sizeWith = async (windowBits: number): Promise<number> => {
      const engine = { inflater: portableCompression.inflater, deflater: portableDeflater({ windowBits }) };
      return Buffer.concat(await deflate(engine, pieces)).length;
    };
    const [small, full] = [await sizeWith(12), await sizeWith(15)];
    expect(small).toBeLessThan(original.length / 3);
    expect(small).toBeLessThan(full * 1.25);
  });
});
