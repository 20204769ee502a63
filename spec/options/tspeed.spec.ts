import { describe, expect, it } from 'vitest';
import { decodeTspeed, encodeTspeed, MAX_TERMINAL_SPEED } from '../../src/options/tspeed.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right, wire } from './wire.js';

describe('decodeTspeed', () => {
  it('reads IS "transmit,receive" and SEND (IAC SB TSPEED IS "38400,19200" IAC SE)', () => {
    expect(right(decodeTspeed(wire(0, '38400,19200')))).toEqual({ _tag: 'Is', transmit: 38400, receive: 19200 });
    expect(right(decodeTspeed(Uint8Array.of(1)))).toEqual({ _tag: 'Send' });
  });

  it('rejects other shapes and out-of-range speeds', () => {
    left(decodeTspeed(new Uint8Array(0)), TelnetOption.TSPEED, 'offset 0');
    left(decodeTspeed(Uint8Array.of(2)), TelnetOption.TSPEED, 'offset 0');
    left(decodeTspeed(Uint8Array.of(1, 0)), TelnetOption.TSPEED, 'offset 1');
    for (const text of [
      '',
      '38400',
      '38400,',
      ',9600',
      '38400, 9600',
      '-1,9600',
      '1e3,9600',
      '12345678901,1',
      `${'9'.repeat(30)},1`,
    ]) {
      left(decodeTspeed(wire(0, text)), TelnetOption.TSPEED, 'offset 1');
    }
    expect(left(decodeTspeed(wire(0, '4294967296,0')), TelnetOption.TSPEED).detail).toContain('above');
  });
});

describe('encodeTspeed', () => {
  it('writes decimal speeds, truncated and clamped', () => {
    expect(encodeTspeed({ _tag: 'Is', transmit: 38400, receive: 38400 })).toEqual(wire(0, '38400,38400'));
    expect(encodeTspeed({ _tag: 'Is', transmit: 9600.5, receive: -1 })).toEqual(wire(0, '9600,0'));
    expect(encodeTspeed({ _tag: 'Is', transmit: 1e12, receive: Number.POSITIVE_INFINITY })).toEqual(
      wire(0, `${MAX_TERMINAL_SPEED},0`),
    );
    expect(encodeTspeed({ _tag: 'Send' })).toEqual(Uint8Array.of(1));
  });
});
