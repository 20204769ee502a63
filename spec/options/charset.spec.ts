import { describe, expect, it } from 'vitest';
import { answerCharsetRequest, chooseCharset, decodeCharset, encodeCharset } from '../../src/options/charset.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right, wire } from './wire.js';

describe('decodeCharset', () => {
  it('reads a REQUEST with its separator (IAC SB CHARSET REQUEST ";UTF-8;ISO-8859-1" IAC SE)', () => {
    expect(right(decodeCharset(wire(1, ';UTF-8;ISO-8859-1')))).toEqual({
      _tag: 'Request',
      charsets: ['UTF-8', 'ISO-8859-1'],
    });
    expect(right(decodeCharset(wire(1, ' UTF-8 US-ASCII')))).toEqual({
      _tag: 'Request',
      charsets: ['UTF-8', 'US-ASCII'],
    });
  });

  it('accepts a trailing separator', () => {
    expect(right(decodeCharset(wire(1, ';UTF-8;')))).toEqual({ _tag: 'Request', charsets: ['UTF-8'] });
  });

  it('reads a REQUEST that offers translation tables', () => {
    expect(right(decodeCharset(wire(1, '[TTABLE]', 1, ';UTF-8')))).toEqual({
      _tag: 'Request',
      charsets: ['UTF-8'],
      ttableVersion: 1,
    });
  });

  it('reads the answers and the TTABLE messages (a table is not parsed)', () => {
    expect(right(decodeCharset(wire(2, 'UTF-8')))).toEqual({ _tag: 'Accepted', charset: 'UTF-8' });
    expect(right(decodeCharset(Uint8Array.of(3)))).toEqual({ _tag: 'Rejected' });
    expect(right(decodeCharset(wire(4, 1, ';', 'X', 8, 1, 2, 3)))).toEqual({ _tag: 'TtableIs' });
    expect(right(decodeCharset(Uint8Array.of(5)))).toEqual({ _tag: 'TtableRejected' });
    expect(right(decodeCharset(Uint8Array.of(6)))).toEqual({ _tag: 'TtableAck' });
    expect(right(decodeCharset(Uint8Array.of(7)))).toEqual({ _tag: 'TtableNak' });
  });

  it('rejects malformed payloads with the byte offset', () => {
    left(decodeCharset(new Uint8Array(0)), TelnetOption.CHARSET, 'offset 0');
    left(decodeCharset(Uint8Array.of(9)), TelnetOption.CHARSET, 'offset 0');
    left(decodeCharset(Uint8Array.of(1)), TelnetOption.CHARSET, 'offset 1');
    left(decodeCharset(wire(1, ';')), TelnetOption.CHARSET, 'offset 2');
    left(decodeCharset(wire(1, ';;UTF-8')), TelnetOption.CHARSET, 'offset 2');
    left(decodeCharset(wire(1, '[TTABLE]')), TelnetOption.CHARSET, 'offset 10');
    left(decodeCharset(Uint8Array.of(2)), TelnetOption.CHARSET, 'offset 1');
    left(decodeCharset(Uint8Array.of(2, 0xff)), TelnetOption.CHARSET, 'offset 1');
    left(decodeCharset(Uint8Array.of(3, 0)), TelnetOption.CHARSET, 'offset 1');
  });

  it('bounds the number and length of names', () => {
    const limits = { maxCharsets: 2, maxNameBytes: 5 };
    expect(right(decodeCharset(wire(1, ';UTF-8;ASCII'), limits))._tag).toBe('Request');
    left(decodeCharset(wire(1, ';A;B;C'), limits), TelnetOption.CHARSET, 'offset 6');
    left(decodeCharset(wire(1, ';UTF-16'), limits), TelnetOption.CHARSET, 'offset 2');
    left(decodeCharset(wire(2, 'UTF-16'), limits), TelnetOption.CHARSET, 'offset 1');
  });
});

describe('encodeCharset', () => {
  it('writes a REQUEST with ";" or, when a name contains it, another separator', () => {
    expect(encodeCharset({ _tag: 'Request', charsets: ['UTF-8', 'ISO-8859-1'] })).toEqual(wire(1, ';UTF-8;ISO-8859-1'));
    expect(encodeCharset({ _tag: 'Request', charsets: ['A;B', 'C'] })).toEqual(wire(1, ' A;B C'));
    expect(encodeCharset({ _tag: 'Request', charsets: ['UTF-8'], ttableVersion: 1 })).toEqual(
      wire(1, '[TTABLE]', 1, ';UTF-8'),
    );
  });

  it('writes the answers and the TTABLE refusal', () => {
    expect(encodeCharset({ _tag: 'Accepted', charset: 'UTF-8' })).toEqual(wire(2, 'UTF-8'));
    expect(encodeCharset({ _tag: 'Rejected' })).toEqual(Uint8Array.of(3));
    expect(encodeCharset({ _tag: 'TtableRejected' })).toEqual(Uint8Array.of(5));
    expect(encodeCharset({ _tag: 'TtableAck' })).toEqual(Uint8Array.of(6));
    expect(encodeCharset({ _tag: 'TtableNak' })).toEqual(Uint8Array.of(7));
  });
});

describe('choosing a character set', () => {
  it('takes the first offered name we support, case-insensitively, in the peer spelling', () => {
    expect(chooseCharset(['ISO-8859-1', 'utf-8'], ['UTF-8', 'US-ASCII'])).toBe('utf-8');
    expect(chooseCharset(['US-ASCII', 'UTF-8'], ['UTF-8', 'US-ASCII'])).toBe('US-ASCII');
    expect(chooseCharset(['CP437'], ['UTF-8'])).toBeUndefined();
  });

  it('answers ACCEPTED or REJECTED', () => {
    expect(answerCharsetRequest(['UTF-8'], ['UTF-8'])).toEqual({ _tag: 'Accepted', charset: 'UTF-8' });
    expect(encodeCharset(answerCharsetRequest(['KOI8-R'], ['UTF-8']))).toEqual(Uint8Array.of(3));
  });
});
