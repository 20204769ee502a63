import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENVIRON_LIMITS,
  decodeEnviron,
  encodeEnviron,
  EnvironType,
  MnesVariable,
} from '../../src/options/new-environ.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right, wire } from './wire.js';

const { VAR, VALUE, ESC, USERVAR } = EnvironType;

describe('decodeEnviron', () => {
  it('reads IS with a value, an undefined variable and an empty value', () => {
    const payload = wire(0, VAR, 'USER', VALUE, 'ann', USERVAR, 'COLUMNS', VAR, 'EMPTY', VALUE);
    expect(right(decodeEnviron(payload))).toEqual({
      _tag: 'Is',
      variables: [
        { kind: 'VAR', name: 'USER', value: 'ann' },
        { kind: 'USERVAR', name: 'COLUMNS' },
        { kind: 'VAR', name: 'EMPTY', value: '' },
      ],
    });
  });

  it('reads an MNES INFO update', () => {
    expect(right(decodeEnviron(wire(2, VAR, 'CLIENT_VERSION', VALUE, '4.17.2')))).toEqual({
      _tag: 'Info',
      variables: [{ kind: 'VAR', name: 'CLIENT_VERSION', value: '4.17.2' }],
    });
  });

  it('reads SEND lists: empty (everything), named, and a bare type (every variable of that kind)', () => {
    expect(right(decodeEnviron(Uint8Array.of(1)))).toEqual({ _tag: 'Send', requests: [] });
    expect(right(decodeEnviron(wire(1, VAR, 'USER', USERVAR)))).toEqual({
      _tag: 'Send',
      requests: [{ kind: 'VAR', name: 'USER' }, { kind: 'USERVAR' }],
    });
  });

  it('unescapes ESC in names and values', () => {
    const payload = wire(0, USERVAR, 'A', ESC, VALUE, 'B', VALUE, ESC, ESC, ESC, VAR, ESC, USERVAR);
    expect(right(decodeEnviron(payload))).toEqual({
      _tag: 'Is',
      variables: [{ kind: 'USERVAR', name: 'A\u0001B', value: '\u0002\u0000\u0003' }],
    });
  });

  it('keeps hostile values verbatim: they are typed untrusted, not sanitized', () => {
    expect(right(decodeEnviron(wire(0, VAR, 'USER', VALUE, '-f root')))).toEqual({
      _tag: 'Is',
      variables: [{ kind: 'VAR', name: 'USER', value: '-f root' }],
    });
  });

  it('rejects malformed payloads with the byte offset', () => {
    left(decodeEnviron(new Uint8Array(0)), TelnetOption.NEW_ENVIRON, 'offset 0');
    left(decodeEnviron(Uint8Array.of(3)), TelnetOption.NEW_ENVIRON, 'offset 0');
    left(decodeEnviron(wire(0, 'USER')), TelnetOption.NEW_ENVIRON, 'offset 1');
    left(decodeEnviron(wire(0, VAR, 'A', ESC)), TelnetOption.NEW_ENVIRON, 'offset 3');
    left(decodeEnviron(wire(1, VAR, 'USER', VALUE, 'x')), TelnetOption.NEW_ENVIRON, 'offset 6');
    left(decodeEnviron(wire(0, VAR, VALUE, 'x')), TelnetOption.NEW_ENVIRON, 'offset 2');
    left(decodeEnviron(wire(0, VAR, 'A', VALUE, 'x', VALUE, 'y')), TelnetOption.NEW_ENVIRON, 'offset 5');
    left(decodeEnviron(Uint8Array.of(0, VAR, 0xc3, 0x28)), TelnetOption.NEW_ENVIRON, 'offset 2');
  });

  it('bounds the variable count, name and value sizes', () => {
    const limits = { maxVariables: 2, maxNameBytes: 4, maxValueBytes: 3 };
    expect(right(decodeEnviron(wire(0, VAR, 'ABCD', VALUE, 'xyz', VAR, 'B'), limits))._tag).toBe('Is');
    left(decodeEnviron(wire(0, VAR, 'A', VAR, 'B', VAR, 'C'), limits), TelnetOption.NEW_ENVIRON, 'offset 5');
    left(decodeEnviron(wire(0, VAR, 'ABCDE'), limits), TelnetOption.NEW_ENVIRON, 'offset 2');
    left(decodeEnviron(wire(0, VAR, 'A', VALUE, 'wxyz'), limits), TelnetOption.NEW_ENVIRON, 'offset 4');
    const many = wire(0, ...Array.from({ length: DEFAULT_ENVIRON_LIMITS.maxVariables + 1 }, () => [VAR, 'X']).flat());
    expect(left(decodeEnviron(many), TelnetOption.NEW_ENVIRON).detail).toContain('64');
  });
});

describe('encodeEnviron', () => {
  it('writes the MNES request of a MUD server', () => {
    const payload = encodeEnviron({
      _tag: 'Send',
      requests: [
        { kind: 'VAR', name: MnesVariable.CLIENT_NAME },
        { kind: 'VAR', name: MnesVariable.MTTS },
      ],
    });
    expect(payload).toEqual(wire(1, VAR, 'CLIENT_NAME', VAR, 'MTTS'));
  });

  it('writes IS and INFO with values, undefined variables and escapes', () => {
    expect(
      encodeEnviron({
        _tag: 'Is',
        variables: [
          { kind: 'VAR', name: 'USER', value: 'ann' },
          { kind: 'USERVAR', name: 'X' },
        ],
      }),
    ).toEqual(wire(0, VAR, 'USER', VALUE, 'ann', USERVAR, 'X'));
    expect(encodeEnviron({ _tag: 'Info', variables: [{ kind: 'USERVAR', name: 'A\u0001', value: '\u0000' }] })).toEqual(
      wire(2, USERVAR, 'A', ESC, VALUE, VALUE, ESC, VAR),
    );
    expect(encodeEnviron({ _tag: 'Send', requests: [{ kind: 'USERVAR' }] })).toEqual(Uint8Array.of(1, USERVAR));
  });
});
