import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import {
  decodeGmcp,
  decodeGmcpMessage,
  encodeGmcp,
  encodeGmcpMessage,
  standardGmcpCodecs,
} from '../../src/options/gmcp.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right, wire } from './wire.js';

describe('decodeGmcp', () => {
  it('reads a name and a JSON body (IAC SB GMCP "Core.Hello {...}" IAC SE)', () => {
    expect(right(decodeGmcp(wire('Core.Hello {"client":"Mudlet","version":"4.17.2"}')))).toEqual({
      name: 'Core.Hello',
      json: { client: 'Mudlet', version: '4.17.2' },
    });
  });

  it('reads a message without a body, or with a blank one', () => {
    expect(right(decodeGmcp(wire('Core.Ping')))).toEqual({ name: 'Core.Ping', json: undefined });
    expect(right(decodeGmcp(wire('Core.Ping  \r\n')))).toEqual({ name: 'Core.Ping', json: undefined });
  });

  it('reads any JSON value, UTF-8 text included', () => {
    expect(right(decodeGmcp(wire('Comm.Channel.Text "héllo ✓"'))).json).toBe('héllo ✓');
    expect(right(decodeGmcp(wire('Room.Info {"num":6008,"exits":{"n":6011}}'))).json).toEqual({
      num: 6008,
      exits: { n: 6011 },
    });
    expect(right(decodeGmcp(wire('X.Y null'))).json).toBeNull();
  });

  it('rejects bad names, bad JSON and oversized bodies with a path', () => {
    left(decodeGmcp(new Uint8Array(0)), TelnetOption.GMCP, 'name');
    left(decodeGmcp(wire(' {}')), TelnetOption.GMCP, 'name');
    left(decodeGmcp(wire('Core\u0007Hello {}')), TelnetOption.GMCP, 'name');
    left(decodeGmcp(wire('A'.repeat(129))), TelnetOption.GMCP, 'name');
    expect(left(decodeGmcp(wire('Char.Vitals {hp:1}')), TelnetOption.GMCP, 'body').detail).toMatch(/^bad JSON/);
    left(decodeGmcp(wire('Char.Vitals {"hp":1')), TelnetOption.GMCP, 'body');
    left(decodeGmcp(Uint8Array.of(0x41, 0x20, 0x22, 0xff, 0x22)), TelnetOption.GMCP, 'body');
    left(
      decodeGmcp(wire('A "abcdef"'), { maxNameBytes: 8, maxJsonBytes: 4, maxJsonDepth: 4 }),
      TelnetOption.GMCP,
      'body',
    );
  });

  it('refuses JSON nested deeper than maxJsonDepth before parsing it, however deep (5,000 levels crashed a trace)', () => {
    const nested = (depth: number, open: string, close: string): string => open.repeat(depth) + close.repeat(depth);
    for (const [open, close] of [
      ['[', ']'],
      ['{"a":', '}'],
    ] as const) {
      const deep = decodeGmcp(wire(`Room.Map ${nested(5_000, open, close).replace(/\{"a":\}/, '{}')}`));
      expect(left(deep, TelnetOption.GMCP, 'body').detail).toBe('JSON nested deeper than 32');
    }
    expect(right(decodeGmcp(wire(`A.B ${nested(32, '[', ']')}`))).json).toBeInstanceOf(Array);
    left(decodeGmcp(wire(`A.B ${nested(33, '[', ']')}`)), TelnetOption.GMCP, 'body');
    left(
      decodeGmcp(wire('A.B [[1]]'), { maxNameBytes: 8, maxJsonBytes: 64, maxJsonDepth: 1 }),
      TelnetOption.GMCP,
      'body',
    );
  });

  it('counts no brackets inside strings, escaped quotes and backslashes included', () => {
    const strings = [`${'['.repeat(100)}\\`, `\\"${'{'.repeat(100)}`, '"]]]'];
    expect(right(decodeGmcp(wire(`A.B ${JSON.stringify(strings)}`))).json).toEqual(strings);
  });
});

describe('encodeGmcp', () => {
  it('writes the name, a space and compact JSON', () => {
    expect(encodeGmcp('Core.Hello', { client: 'rxtelnet', version: '0.1.0' })).toEqual(
      wire('Core.Hello {"client":"rxtelnet","version":"0.1.0"}'),
    );
    expect(encodeGmcp('Core.Ping')).toEqual(wire('Core.Ping'));
  });
});

describe('decodeGmcpMessage', () => {
  it('types Char.Vitals, accepting numeric strings and keeping extra keys', () => {
    const message = right(
      decodeGmcpMessage(
        standardGmcpCodecs,
        wire('Char.Vitals {"hp":"4500","maxhp":4500,"mp":10,"maxmp":20,"nl":"12"}'),
      ),
    );
    expect(message).toEqual({
      _tag: 'Typed',
      name: 'Char.Vitals',
      body: { hp: 4500, maxhp: 4500, mp: 10, maxmp: 20, nl: '12' },
    });
    if (message._tag === 'Typed' && message.name === 'Char.Vitals') expect(message.body.hp + 1).toBe(4501);
  });

  it('finds the codec case-insensitively and answers with the registry name', () => {
    expect(right(decodeGmcpMessage(standardGmcpCodecs, wire('core.hello {"client":"c","version":"1"}'))).name).toBe(
      'Core.Hello',
    );
  });

  it('types Core.Supports.Set as package names and versions', () => {
    expect(
      right(decodeGmcpMessage(standardGmcpCodecs, wire('Core.Supports.Set ["Char 1","Char.Skills 1","Room 2"]'))),
    ).toEqual({
      _tag: 'Typed',
      name: 'Core.Supports.Set',
      body: [
        { name: 'Char', version: 1 },
        { name: 'Char.Skills', version: 1 },
        { name: 'Room', version: 2 },
      ],
    });
  });

  it('reports a body that fails its codec with the path of the bad value', () => {
    const wrongType = left(
      decodeGmcpMessage(standardGmcpCodecs, wire('Char.Vitals {"hp":"lots","maxhp":1,"mp":1,"maxmp":1}')),
      TelnetOption.GMCP,
      'body.hp',
    );
    expect(wrongType.detail).toContain('lots');
    left(
      decodeGmcpMessage(standardGmcpCodecs, wire('Char.Vitals {"hp":1,"maxhp":1,"mp":1}')),
      TelnetOption.GMCP,
      'body.maxmp',
    );
    left(
      decodeGmcpMessage(standardGmcpCodecs, wire('Core.Supports.Add ["Char 1","Room"]')),
      TelnetOption.GMCP,
      'body.1',
    );
    left(decodeGmcpMessage(standardGmcpCodecs, wire('Core.Hello')), TelnetOption.GMCP, 'body');
  });

  it('reports bad JSON, and names without a codec when asked to reject them', () => {
    left(decodeGmcpMessage(standardGmcpCodecs, wire('Char.Vitals {')), TelnetOption.GMCP, 'body');
    const strict = { unknownPackages: 'reject' } as const;
    left(decodeGmcpMessage(standardGmcpCodecs, wire('IRE.Rift.List []'), strict), TelnetOption.GMCP, 'name');
  });

  it('passes a package without a codec through untyped by default', () => {
    expect(right(decodeGmcpMessage(standardGmcpCodecs, wire('IRE.Rift.List []')))).toEqual({
      _tag: 'Untyped',
      name: 'IRE.Rift.List',
      json: [],
    });
  });

  it('works with a registry of your own codecs', () => {
    const codecs = { ...standardGmcpCodecs, 'Room.Info': t.type({ num: t.number, name: t.string }) };
    const message = right(decodeGmcpMessage(codecs, wire('Room.Info {"num":1,"name":"Hall"}')));
    expect(message._tag === 'Typed' && message.name === 'Room.Info' && message.body.name).toBe('Hall');
  });
});

describe('encodeGmcpMessage', () => {
  it('encodes the body with its codec', () => {
    expect(encodeGmcpMessage(standardGmcpCodecs, 'Core.Supports.Set', [{ name: 'Char', version: 1 }])).toEqual(
      wire('Core.Supports.Set ["Char 1"]'),
    );
    expect(encodeGmcpMessage(standardGmcpCodecs, 'Char.Vitals', { hp: 1, maxhp: 2, mp: 3, maxmp: 4, ep: 5 })).toEqual(
      wire('Char.Vitals {"hp":1,"maxhp":2,"mp":3,"maxmp":4,"ep":5}'),
    );
  });
});
