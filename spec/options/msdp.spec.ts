import { describe, expect, it } from 'vitest';
import {
  decodeMsdp,
  encodeMsdp,
  MsdpByte,
  MsdpList,
  msdpListCommand,
  msdpRecord,
  msdpReportCommand,
  msdpResetCommand,
  msdpSendCommand,
  msdpUnreportCommand,
} from '../../src/options/msdp.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right, wire } from './wire.js';

const { VAR, VAL, TABLE_OPEN, TABLE_CLOSE, ARRAY_OPEN, ARRAY_CLOSE } = MsdpByte;

describe('decodeMsdp', () => {
  it('reads a string variable (IAC SB MSDP VAR "HEALTH" VAL "500" IAC SE)', () => {
    expect(right(decodeMsdp(wire(VAR, 'HEALTH', VAL, '500')))).toEqual([{ name: 'HEALTH', value: '500' }]);
  });

  it('reads tables and arrays, nested', () => {
    const payload = wire(
      VAR,
      'ROOM',
      VAL,
      TABLE_OPEN,
      VAR,
      'VNUM',
      VAL,
      '6008',
      VAR,
      'EXITS',
      VAL,
      TABLE_OPEN,
      VAR,
      'n',
      VAL,
      '6011',
      VAR,
      'e',
      VAL,
      '6007',
      TABLE_CLOSE,
      VAR,
      'TERRAIN',
      VAL,
      ARRAY_OPEN,
      VAL,
      'inside',
      VAL,
      ARRAY_OPEN,
      ARRAY_CLOSE,
      ARRAY_CLOSE,
      TABLE_CLOSE,
    );
    expect(right(decodeMsdp(payload))).toEqual([
      { name: 'ROOM', value: { VNUM: '6008', EXITS: { n: '6011', e: '6007' }, TERRAIN: ['inside', []] } },
    ]);
  });

  it('reads several VALs as an array, no VAL or an empty VAL as the empty string', () => {
    expect(right(decodeMsdp(wire(VAR, 'REPORT', VAL, 'HEALTH', VAL, 'MANA', VAR, 'X', VAR, 'Y', VAL)))).toEqual([
      { name: 'REPORT', value: ['HEALTH', 'MANA'] },
      { name: 'X', value: '' },
      { name: 'Y', value: '' },
    ]);
  });

  it('keeps repeated variables in the list; msdpRecord keeps the last; inside a table the last wins', () => {
    const variables = right(
      decodeMsdp(
        wire(
          VAR,
          'HP',
          VAL,
          '1',
          VAR,
          'HP',
          VAL,
          '2',
          VAR,
          'T',
          VAL,
          TABLE_OPEN,
          VAR,
          'k',
          VAL,
          'a',
          VAR,
          'k',
          VAL,
          'b',
          TABLE_CLOSE,
        ),
      ),
    );
    expect(variables.map((variable) => variable.value)).toEqual(['1', '2', { k: 'b' }]);
    expect(msdpRecord(variables)).toEqual({ HP: '2', T: { k: 'b' } });
  });

  it('keeps a "__proto__" key as plain data', () => {
    const [room] = right(decodeMsdp(wire(VAR, 'T', VAL, TABLE_OPEN, VAR, '__proto__', VAL, 'x', TABLE_CLOSE)));
    expect(Object.keys(room!.value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(room!.value)).toBeNull();
  });

  it('rejects malformed payloads with the byte offset', () => {
    left(decodeMsdp(wire('HEALTH')), TelnetOption.MSDP, 'offset 0');
    left(decodeMsdp(wire(VAL, 'x')), TelnetOption.MSDP, 'offset 0');
    left(decodeMsdp(wire(VAR, 'A', VAL, 'x', TABLE_CLOSE)), TelnetOption.MSDP, 'offset 4');
    left(decodeMsdp(wire(VAR, 'T', VAL, TABLE_OPEN, VAR, 'k', VAL, 'v')), TelnetOption.MSDP, 'offset 8');
    left(decodeMsdp(wire(VAR, 'T', VAL, TABLE_OPEN, VAL, 'v', TABLE_CLOSE)), TelnetOption.MSDP, 'offset 4');
    left(decodeMsdp(wire(VAR, 'A', VAL, ARRAY_OPEN, VAL, 'v')), TelnetOption.MSDP, 'offset 6');
    left(decodeMsdp(wire(VAR, 'A', VAL, ARRAY_OPEN, VAR, 'v', ARRAY_CLOSE)), TelnetOption.MSDP, 'offset 4');
    left(decodeMsdp(Uint8Array.of(VAR, 0x41, VAL, 0xe2, 0x82)), TelnetOption.MSDP, 'offset 3');
  });

  it('bounds the nesting depth', () => {
    const nested = (depth: number): Uint8Array =>
      wire(
        VAR,
        'A',
        VAL,
        ...Array<number>(depth)
          .fill(ARRAY_OPEN)
          .flatMap((open) => [open, VAL]),
        'x',
        ...Array<number>(depth).fill(ARRAY_CLOSE),
      );
    expect(right(decodeMsdp(nested(3), 3))).toEqual([{ name: 'A', value: [[['x']]] }]);
    expect(left(decodeMsdp(nested(4), 3), TelnetOption.MSDP).detail).toContain('deeper than 3');
    right(decodeMsdp(nested(16)));
    left(decodeMsdp(nested(17)), TelnetOption.MSDP);
  });
});

describe('encodeMsdp', () => {
  it('writes tables and arrays', () => {
    expect(encodeMsdp([{ name: 'ROOM', value: { VNUM: '6008', EXITS: ['n', 'e'] } }])).toEqual(
      wire(
        VAR,
        'ROOM',
        VAL,
        TABLE_OPEN,
        VAR,
        'VNUM',
        VAL,
        '6008',
        VAR,
        'EXITS',
        VAL,
        ARRAY_OPEN,
        VAL,
        'n',
        VAL,
        'e',
        ARRAY_CLOSE,
        TABLE_CLOSE,
      ),
    );
  });

  it('drops the control bytes 1..6 from text', () => {
    expect(encodeMsdp([{ name: 'A\u0001B', value: 'x\u0006y' }])).toEqual(wire(VAR, 'AB', VAL, 'xy'));
  });
});

describe('MSDP commands', () => {
  it('writes LIST, REPORT, UNREPORT, SEND and RESET', () => {
    expect(msdpListCommand(MsdpList.REPORTABLE_VARIABLES)).toEqual(wire(VAR, 'LIST', VAL, 'REPORTABLE_VARIABLES'));
    expect(msdpReportCommand('HEALTH', 'HEALTH_MAX')).toEqual(wire(VAR, 'REPORT', VAL, 'HEALTH', VAL, 'HEALTH_MAX'));
    expect(msdpUnreportCommand('HEALTH')).toEqual(wire(VAR, 'UNREPORT', VAL, 'HEALTH'));
    expect(msdpSendCommand('ROOM')).toEqual(wire(VAR, 'SEND', VAL, 'ROOM'));
    expect(msdpResetCommand(MsdpList.REPORTED_VARIABLES)).toEqual(wire(VAR, 'RESET', VAL, 'REPORTED_VARIABLES'));
  });
});
