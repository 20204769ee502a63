import { describe, expect, it } from 'vitest';
import {
  decodeLinemode,
  LinemodeModeBit,
  MAX_SLC_TRIPLETS,
  SlcFlag,
  SlcFunction,
  SlcLevel,
} from '../../src/options/linemode.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right } from './wire.js';

describe('decodeLinemode', () => {
  it('reads MODE mask (IAC SB LINEMODE MODE EDIT|TRAPSIG IAC SE)', () => {
    expect(right(decodeLinemode(Uint8Array.of(1, LinemodeModeBit.EDIT | LinemodeModeBit.TRAPSIG)))).toEqual({
      _tag: 'Mode',
      mask: 3,
    });
  });

  it('reads SLC triplets, a value of 255 included (already unescaped from IAC IAC)', () => {
    const payload = Uint8Array.of(
      3,
      SlcFunction.IP,
      SlcLevel.VALUE | SlcFlag.FLUSHIN | SlcFlag.FLUSHOUT,
      3,
      SlcFunction.EC,
      SlcLevel.VALUE,
      255,
    );
    expect(right(decodeLinemode(payload))).toEqual({
      _tag: 'Slc',
      triplets: [
        { function: SlcFunction.IP, modifiers: 98, value: 3 },
        { function: SlcFunction.EC, modifiers: 2, value: 255 },
      ],
    });
    expect(right(decodeLinemode(Uint8Array.of(3)))).toEqual({ _tag: 'Slc', triplets: [] });
  });

  it('bounds the number of SLC triplets (the CVE-2026-32746 overflow)', () => {
    const slc = (count: number): Uint8Array =>
      Uint8Array.from([3, ...Array.from({ length: count }, (_, i) => [i + 1, 2, 0]).flat()]);
    expect(right(decodeLinemode(slc(MAX_SLC_TRIPLETS)))).toHaveProperty('triplets.length', MAX_SLC_TRIPLETS);
    left(decodeLinemode(slc(MAX_SLC_TRIPLETS + 1)), TelnetOption.LINEMODE, 'length');
    left(decodeLinemode(slc(200)), TelnetOption.LINEMODE, 'length');
    left(decodeLinemode(slc(3), 2), TelnetOption.LINEMODE, 'length');
  });

  it('rejects truncated triplets, bad MODE lengths and every other subcommand', () => {
    left(decodeLinemode(Uint8Array.of(3, 1, 2, 3, 4, 5)), TelnetOption.LINEMODE, 'offset 4');
    left(decodeLinemode(Uint8Array.of(1)), TelnetOption.LINEMODE, 'length');
    left(decodeLinemode(Uint8Array.of(1, 1, 1)), TelnetOption.LINEMODE, 'length');
    left(decodeLinemode(Uint8Array.of(253, 2, 0xff)), TelnetOption.LINEMODE, 'offset 0');
    left(decodeLinemode(Uint8Array.of(2, 0)), TelnetOption.LINEMODE, 'offset 0');
    left(decodeLinemode(new Uint8Array(0)), TelnetOption.LINEMODE, 'offset 0');
  });
});
