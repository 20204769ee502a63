import { describe, expect, it } from 'vitest';
import { decodeXdisploc, encodeXdisploc } from '../../src/options/xdisploc.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right, wire } from './wire.js';

describe('decodeXdisploc', () => {
  it('reads IS "host:display[.screen]" and SEND (IAC SB XDISPLOC IS "lab7:0.0" IAC SE)', () => {
    expect(right(decodeXdisploc(wire(0, 'lab7:0.0')))).toEqual({ _tag: 'Is', location: 'lab7:0.0' });
    expect(right(decodeXdisploc(wire(0, ':1')))).toEqual({ _tag: 'Is', location: ':1' });
    expect(right(decodeXdisploc(wire(0, '::1:10.2')))).toEqual({ _tag: 'Is', location: '::1:10.2' });
    expect(right(decodeXdisploc(Uint8Array.of(1)))).toEqual({ _tag: 'Send' });
  });

  it('rejects other commands, shapes, bytes and lengths', () => {
    left(decodeXdisploc(new Uint8Array(0)), TelnetOption.XDISPLOC, 'offset 0');
    left(decodeXdisploc(Uint8Array.of(7)), TelnetOption.XDISPLOC, 'offset 0');
    left(decodeXdisploc(Uint8Array.of(1, 1)), TelnetOption.XDISPLOC, 'offset 1');
    for (const text of ['', 'lab7', 'lab7:', 'lab7:x', 'lab7:0.'])
      left(decodeXdisploc(wire(0, text)), TelnetOption.XDISPLOC, 'offset 1');
    left(decodeXdisploc(wire(0, 'lab 7:0')), TelnetOption.XDISPLOC, 'offset 4');
    left(decodeXdisploc(wire(0, 'lab7:0', 10)), TelnetOption.XDISPLOC, 'offset 7');
    left(decodeXdisploc(wire(0, `${'h'.repeat(300)}:0`)), TelnetOption.XDISPLOC, 'offset 1');
    left(decodeXdisploc(wire(0, 'host:0'), 5), TelnetOption.XDISPLOC, 'offset 1');
  });
});

describe('encodeXdisploc', () => {
  it('writes IS location and SEND', () => {
    expect(encodeXdisploc({ _tag: 'Is', location: 'lab7:0.0' })).toEqual(wire(0, 'lab7:0.0'));
    expect(encodeXdisploc({ _tag: 'Send' })).toEqual(Uint8Array.of(1));
  });
});
