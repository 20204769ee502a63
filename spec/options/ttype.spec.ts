import { describe, expect, it } from 'vitest';
import {
  collectTtype,
  decodeTtype,
  encodeTtypeIs,
  encodeTtypeSend,
  formatMtts,
  initialTtypeCollection,
  MttsBit,
  mttsFromBits,
  mttsTerminalTypes,
  mttsToBits,
  nextTtypeAnswer,
  parseMtts,
  ttypeAnswers,
  type TtypeCollectStep,
  type TtypeCollection,
} from '../../src/options/ttype.js';
import { untrusted } from '../../src/options/untrusted-string.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right, wire } from './wire.js';

describe('decodeTtype', () => {
  it('reads IS name (IAC SB TTYPE IS "XTERM-256COLOR" IAC SE)', () => {
    expect(right(decodeTtype(wire(0, 'XTERM-256COLOR')))).toEqual({ _tag: 'Is', name: 'XTERM-256COLOR' });
  });

  it('reads SEND', () => {
    expect(right(decodeTtype(Uint8Array.of(1)))).toEqual({ _tag: 'Send' });
  });

  it('rejects bad payloads with a path', () => {
    left(decodeTtype(new Uint8Array(0)), TelnetOption.TTYPE, 'offset 0');
    left(decodeTtype(Uint8Array.of(2, 0x41)), TelnetOption.TTYPE, 'offset 0');
    left(decodeTtype(Uint8Array.of(1, 0x41)), TelnetOption.TTYPE, 'offset 1');
    left(decodeTtype(Uint8Array.of(0)), TelnetOption.TTYPE, 'offset 1');
    left(decodeTtype(Uint8Array.of(0, 0xff, 0xfe)), TelnetOption.TTYPE, 'offset 1');
  });

  it('bounds the name length', () => {
    expect(right(decodeTtype(wire(0, 'A'.repeat(64))))).toEqual({ _tag: 'Is', name: 'A'.repeat(64) });
    expect(left(decodeTtype(wire(0, 'A'.repeat(65))), TelnetOption.TTYPE).detail).toContain('64');
    left(decodeTtype(wire(0, 'ANSI'), 3), TelnetOption.TTYPE, 'offset 1');
  });
});

describe('encodeTtype*', () => {
  it('writes IS name and SEND', () => {
    expect(encodeTtypeIs('ANSI')).toEqual(Uint8Array.of(0, 0x41, 0x4e, 0x53, 0x49));
    expect(encodeTtypeSend()).toEqual(Uint8Array.of(1));
  });
});

describe('MTTS', () => {
  it('names the bits of "MTTS 137": ANSI + 256 COLORS + PROXY', () => {
    const flags = parseMtts('MTTS 137');
    expect(flags).toEqual({ ...mttsFromBits(0), ansi: true, colors256: true, proxy: true });
    expect(mttsToBits(flags!)).toBe(137);
  });

  it('maps every documented bit', () => {
    expect(Object.values(MttsBit)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]);
    expect(mttsToBits(mttsFromBits(4095))).toBe(4095);
    expect(Object.values(mttsFromBits(4096)).every((flag) => !flag)).toBe(true);
  });

  it('parses case-insensitively and refuses other names', () => {
    expect(parseMtts('mtts 4')?.utf8).toBe(true);
    for (const name of ['XTERM', 'MTTS', 'MTTS x', 'MTTS  9', ' MTTS 9', 'MTTS 12345678901'])
      expect(parseMtts(name)).toBeUndefined();
  });

  it('formats flags', () => {
    expect(formatMtts(mttsFromBits(MttsBit.ansi | MttsBit.utf8 | MttsBit.truecolor))).toBe('MTTS 261');
  });
});

describe('nextTtypeAnswer (client)', () => {
  it('answers each SEND with the next name, then repeats the last', () => {
    let state = ttypeAnswers(mttsTerminalTypes('MUDLET', 'ANSI-TRUECOLOR', mttsFromBits(2825)));
    const answers: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const [name, next] = nextTtypeAnswer(state);
      answers.push(name);
      state = next;
    }
    expect(answers).toEqual(['MUDLET', 'ANSI-TRUECOLOR', 'MTTS 2825', 'MTTS 2825', 'MTTS 2825']);
  });
});

describe('collectTtype (server)', () => {
  const run = (answers: readonly string[], maxAnswers?: number): { sends: number; last: TtypeCollectStep } => {
    let state: TtypeCollection = initialTtypeCollection;
    let sends = 0;
    for (const answer of answers) {
      const step = collectTtype(state, untrusted(answer), maxAnswers);
      if (step._tag === 'Complete') return { sends, last: step };
      sends += 1;
      state = step.state;
    }
    return expect.fail('the collection did not complete');
  };

  it('collects the three MTTS answers and stops on the repeat', () => {
    const { sends, last } = run(['MUDLET', 'ANSI-TRUECOLOR', 'MTTS 137', 'MTTS 137']);
    expect(sends).toBe(3);
    expect(last).toEqual({
      _tag: 'Complete',
      report: {
        names: ['MUDLET', 'ANSI-TRUECOLOR', 'MTTS 137'],
        clientName: 'MUDLET',
        terminalType: 'ANSI-TRUECOLOR',
        mtts: parseMtts('MTTS 137'),
      },
    });
  });

  it('handles a plain client that repeats one terminal type', () => {
    const { last } = run(['XTERM', 'XTERM']);
    expect(last).toEqual({
      _tag: 'Complete',
      report: { names: ['XTERM'], clientName: 'XTERM', terminalType: 'XTERM', mtts: undefined },
    });
  });

  it('stops when a cycling client comes back to its first name', () => {
    const { last } = run(['VT220', 'VT100', 'VT220']);
    expect(last._tag === 'Complete' && last.report.names).toEqual(['VT220', 'VT100']);
  });

  it('stops after maxAnswers distinct names', () => {
    const { sends, last } = run(['A', 'B', 'C', 'D'], 3);
    expect(sends).toBe(2);
    expect(last._tag === 'Complete' && last.report.names).toEqual(['A', 'B', 'C']);
  });
});
