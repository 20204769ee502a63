import { describe, expect, it } from 'vitest';
import { decodeMssp, encodeMssp, MsspByte, MsspVariable } from '../../src/options/mssp.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right, wire } from './wire.js';

const { VAR, VAL } = MsspByte;

describe('decodeMssp', () => {
  it('reads the required variables (IAC SB MSSP VAR "NAME" VAL "..." ... IAC SE)', () => {
    const payload = wire(VAR, 'NAME', VAL, 'Example MUD', VAR, 'PLAYERS', VAL, '12', VAR, 'UPTIME', VAL, '1700000000');
    expect(right(decodeMssp(payload))).toEqual({ NAME: 'Example MUD', PLAYERS: '12', UPTIME: '1700000000' });
  });

  it('gathers several VALs, and repeated VARs, into an array; a VAR without VAL is ""', () => {
    expect(
      right(
        decodeMssp(
          wire(
            VAR,
            'PORT',
            VAL,
            '23',
            VAL,
            '4000',
            VAR,
            'GENRE',
            VAL,
            'Fantasy',
            VAR,
            'GENRE',
            VAL,
            'Horror',
            VAR,
            'ICON',
          ),
        ),
      ),
    ).toEqual({
      PORT: ['23', '4000'],
      GENRE: ['Fantasy', 'Horror'],
      ICON: '',
    });
    expect(right(decodeMssp(new Uint8Array(0)))).toEqual({});
  });

  it('rejects malformed payloads with the byte offset', () => {
    left(decodeMssp(wire(VAL, 'x')), TelnetOption.MSSP, 'offset 0');
    left(decodeMssp(wire('NAME')), TelnetOption.MSSP, 'offset 0');
    left(decodeMssp(wire(VAR, VAL, 'x')), TelnetOption.MSSP, 'offset 1');
    left(decodeMssp(Uint8Array.of(VAR, 0x41, VAL, 0xc0, 0x80)), TelnetOption.MSSP, 'offset 3');
  });

  it('bounds the number of variables and values', () => {
    const limits = { maxVariables: 2, maxValuesPerVariable: 2 };
    left(decodeMssp(wire(VAR, 'A', VAR, 'B', VAR, 'C'), limits), TelnetOption.MSSP, 'offset 4');
    left(decodeMssp(wire(VAR, 'A', VAL, '1', VAL, '2', VAL, '3'), limits), TelnetOption.MSSP, 'offset 6');
    left(decodeMssp(wire(VAR, 'A', VAL, '1', VAL, '2', VAR, 'A', VAL, '3'), limits), TelnetOption.MSSP, 'offset 8');
  });
});

describe('encodeMssp', () => {
  it('writes one VAL per value', () => {
    expect(
      encodeMssp({
        [MsspVariable.NAME]: 'Example',
        [MsspVariable.PORT]: ['23', '4000'],
        [MsspVariable.XTERM_256_COLORS]: '1',
      }),
    ).toEqual(
      wire(VAR, 'NAME', VAL, 'Example', VAR, 'PORT', VAL, '23', VAL, '4000', VAR, 'XTERM 256 COLORS', VAL, '1'),
    );
  });

  it('drops VAR and VAL bytes from text', () => {
    expect(encodeMssp({ 'A\u0001': 'b\u0002c' })).toEqual(wire(VAR, 'A', VAL, 'bc'));
  });
});
