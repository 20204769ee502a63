import { describe, expect, it } from 'vitest';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { command, data, negotiation, subnegotiation, warning } from '../../src/codec/events.js';
import {
  encodeCommand,
  encodeData,
  encodeEvent,
  encodeNegotiation,
  encodeSubnegotiation,
} from '../../src/codec/encoder.js';

const { IAC, SB, SE } = Command;
const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('encodeData', () => {
  it('returns the input itself when there is no IAC', () => {
    const input = ascii('hello\r\n');
    expect(encodeData(input)).toBe(input);
  });

  it('doubles every IAC', () => {
    expect(encodeData(bytes(IAC, 1, IAC, IAC, 2, IAC))).toEqual(bytes(IAC, IAC, 1, IAC, IAC, IAC, IAC, 2, IAC, IAC));
  });

  it('nvt: LF -> CR LF, bare CR -> CR NUL, CR LF kept, IAC doubled', () => {
    expect(encodeData(ascii('a\nb\rc\r\nd'), { newline: 'nvt' })).toEqual(ascii('a\r\nb\r\0c\r\nd'));
    expect(encodeData(bytes(IAC, 10), { newline: 'nvt' })).toEqual(bytes(IAC, IAC, 13, 10));
    expect(encodeData(ascii('\r\r\n\n'), { newline: 'nvt' })).toEqual(ascii('\r\0\r\n\r\n'));
  });

  it('nvt: a CR at the very end of the input is bare (CR NUL)', () => {
    expect(encodeData(ascii('prompt\r'), { newline: 'nvt' })).toEqual(ascii('prompt\r\0'));
  });

  it('nvt: returns the input itself when it is already in NVT form', () => {
    const input = ascii('one\r\ntwo\r\n');
    expect(encodeData(input, { newline: 'nvt' })).toBe(input);
  });

  it('nvt: what it returned stays as it was, however many writes are encoded after it', () => {
    const first = encodeData(ascii('keep\n'), { newline: 'nvt' });
    const later = Array.from({ length: 200 }, (_, k) => encodeData(ascii(`${k}\n`.repeat(50)), { newline: 'nvt' }));
    expect(first).toEqual(ascii('keep\r\n'));
    expect(later[199]).toEqual(ascii('199\r\n'.repeat(50)));
    expect(later[0]).toEqual(ascii('0\r\n'.repeat(50)));
  });

  it('nvt: encodes a long input (past the shared buffer) into an array of its own length', () => {
    const long = ascii('line\n'.repeat(10_000));
    const encoded = encodeData(long, { newline: 'nvt' });
    expect(encoded).toEqual(ascii('line\r\n'.repeat(10_000)));
    expect(encoded.buffer.byteLength).toBe(encoded.length);
  });
});

describe('encodeCommand, encodeNegotiation, encodeSubnegotiation', () => {
  it('encodes a command', () => {
    expect(encodeCommand(Command.GA)).toEqual(bytes(IAC, 249));
  });

  it.each([
    ['WILL', 251],
    ['WONT', 252],
    ['DO', 253],
    ['DONT', 254],
  ] as const)('encodes %s', (verb, byte) => {
    expect(encodeNegotiation(verb, TelnetOption.NAWS)).toEqual(bytes(IAC, byte, 31));
  });

  it('writes option 255 (EXOPL) as it is in a negotiation', () => {
    expect(encodeNegotiation('WILL', 255)).toEqual(bytes(IAC, 251, 255));
  });

  it('encodes NAWS 255x24 with the 255 doubled', () => {
    expect(encodeSubnegotiation(TelnetOption.NAWS, bytes(0, 255, 0, 24))).toEqual(
      bytes(0xff, 0xfa, 0x1f, 0x00, 0xff, 0xff, 0x00, 0x18, 0xff, 0xf0),
    );
  });

  it('encodes an empty payload and doubles option 255', () => {
    expect(encodeSubnegotiation(TelnetOption.TTYPE, bytes())).toEqual(bytes(IAC, SB, 24, IAC, SE));
    expect(encodeSubnegotiation(255, bytes(1))).toEqual(bytes(IAC, SB, IAC, IAC, 1, IAC, SE));
  });
});

describe('encodeEvent', () => {
  it('encodes each kind of event', () => {
    expect(encodeEvent(data(bytes(IAC, 10)), { newline: 'nvt' })).toEqual(bytes(IAC, IAC, 13, 10));
    expect(encodeEvent(command(Command.NOP))).toEqual(bytes(IAC, 241));
    expect(encodeEvent(negotiation('DO', TelnetOption.GMCP))).toEqual(bytes(IAC, 253, 201));
    expect(encodeEvent(subnegotiation(TelnetOption.TTYPE, bytes(1)))).toEqual(bytes(IAC, SB, 24, 1, IAC, SE));
  });

  it('encodes a warning to nothing', () => {
    expect(encodeEvent(warning('StraySE', 'x'))).toHaveLength(0);
  });
});
