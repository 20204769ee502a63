import { describe, expect, it } from 'vitest';
import { command, Command, data, negotiation, TelnetOption, subnegotiation, warning } from '../../src/index.js';
import {
  compactJson,
  describeCompression,
  describeData,
  describeEvent,
  describeSubnegotiation,
  hexBytes,
  MAX_TRACED_TEXT,
  MAX_LINE_LENGTH,
  quoteText,
  safeLine,
  traceLine,
} from '../../src/cli/trace.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('describeEvent', () => {
  it.each([
    [negotiation('DO', TelnetOption.NAWS), 'DO NAWS'],
    [negotiation('WILL', TelnetOption.MCCP2), 'WILL MCCP2'],
    [negotiation('WONT', TelnetOption.ECHO), 'WONT ECHO'],
    [negotiation('DONT', TelnetOption.NEW_ENVIRON), 'DONT NEW_ENVIRON'],
    [negotiation('DO', 123), 'DO 123'],
    [command(Command.GA), 'GA'],
    [command(Command.EOR), 'EOR'],
    [command(Command.NOP), 'NOP'],
    [command(100), '100'],
    [
      warning('StraySE', 'IAC SE outside a subnegotiation; ignored'),
      'WARNING StraySE: IAC SE outside a subnegotiation; ignored',
    ],
    [data(text('hi\r\n')), 'DATA 4 bytes "hi\\r\\n"'],
    [data(Uint8Array.of(0x41)), 'DATA 1 byte "A"'],
    [subnegotiation(TelnetOption.NAWS, Uint8Array.of(0, 80, 0, 24)), 'SB NAWS 80x24'],
  ])('%j -> %s', (event, expected) => {
    expect(describeEvent(event)).toBe(expected);
  });
});

describe('describeSubnegotiation', () => {
  it.each([
    [TelnetOption.NAWS, Uint8Array.of(1, 44, 0, 255), 'SB NAWS 300x255'],
    [TelnetOption.TTYPE, Uint8Array.of(1), 'SB TTYPE SEND'],
    [TelnetOption.TTYPE, Uint8Array.of(0, ...text('xterm-256color')), 'SB TTYPE IS "xterm-256color"'],
    [TelnetOption.GMCP, text('Char.Vitals {"hp":10}'), 'SB GMCP Char.Vitals {"hp":10}'],
    [TelnetOption.GMCP, text('Core.Ping'), 'SB GMCP Core.Ping'],
    [TelnetOption.GMCP, text('Char.Vitals { "hp" : 10 }'), 'SB GMCP Char.Vitals {"hp":10}'],
    [TelnetOption.MSSP, text('\x01NAME\x02Demo\x01PORT\x0223\x024000'), 'SB MSSP NAME="Demo" PORT=["23","4000"]'],
    [TelnetOption.MSDP, text('\x01HEALTH\x02500'), 'SB MSDP HEALTH="500"'],
    [TelnetOption.TSPEED, Uint8Array.of(1), 'SB TSPEED SEND'],
    [TelnetOption.TSPEED, Uint8Array.of(0, ...text('38400,19200')), 'SB TSPEED IS 38400,19200'],
    [TelnetOption.XDISPLOC, Uint8Array.of(0, ...text('lab:0.0')), 'SB XDISPLOC IS "lab:0.0"'],
    [TelnetOption.NEW_ENVIRON, Uint8Array.of(1), 'SB NEW_ENVIRON SEND'],
    [
      TelnetOption.NEW_ENVIRON,
      Uint8Array.of(0, 0, ...text('USER'), 1, ...text('ann')),
      'SB NEW_ENVIRON IS VAR USER="ann"',
    ],
    [TelnetOption.CHARSET, text('\x01;UTF-8;ISO-8859-1'), 'SB CHARSET REQUEST UTF-8 ISO-8859-1'],
    [TelnetOption.CHARSET, text('\x02UTF-8'), 'SB CHARSET ACCEPTED UTF-8'],
    [TelnetOption.CHARSET, Uint8Array.of(3), 'SB CHARSET REJECTED'],
  ])('decodes option %i payload %j', (option, payload, expected) => {
    expect(describeSubnegotiation(option, payload)).toBe(expected);
  });

  it('shows the MCCP start marker (an empty payload) as the bare SB', () => {
    expect(describeSubnegotiation(TelnetOption.MCCP2, new Uint8Array(0))).toBe('SB MCCP2');
    expect(describeSubnegotiation(TelnetOption.MCCP3, new Uint8Array(0))).toBe('SB MCCP3');
  });

  it('shows payloads of options without a codec in hex', () => {
    expect(describeSubnegotiation(TelnetOption.ZMP, Uint8Array.of(0x7a, 0, 0xff))).toBe('SB ZMP 7a 00 ff');
    expect(describeSubnegotiation(200, Uint8Array.of(1))).toBe('SB ATCP 01');
    expect(describeSubnegotiation(150, Uint8Array.of(1, 2))).toBe('SB 150 01 02');
  });

  it('says why a payload does not decode, with its bytes', () => {
    expect(describeSubnegotiation(TelnetOption.NAWS, Uint8Array.of(0, 80, 0))).toBe(
      'SB NAWS <bad payload at length: expected 4 bytes, got 3> 00 50 00',
    );
    expect(describeSubnegotiation(TelnetOption.GMCP, text('Char.Vitals {'))).toMatch(
      /^SB GMCP <bad payload at body: bad JSON: .*> 43 68/,
    );
    expect(describeSubnegotiation(TelnetOption.TTYPE, Uint8Array.of(7))).toBe(
      'SB TTYPE <bad payload at offset 0: expected IS (0) or SEND (1), got 7> 07',
    );
  });

  it('keeps long GMCP bodies on one short line', () => {
    const line = describeSubnegotiation(
      TelnetOption.GMCP,
      text(`Room.Info ${JSON.stringify({ text: 'x'.repeat(1000) })}`),
    );
    expect(line.length).toBeLessThan(MAX_TRACED_TEXT + 40);
    expect(line).toMatch(/\.\.\. \(\+\d+ chars\)$/);
  });
});

describe('describeData', () => {
  it('escapes control characters so that the line stays one line', () => {
    expect(describeData(text('\x1b[1mbold\x1b[0m\n'))).toBe('DATA 13 bytes "\\u001b[1mbold\\u001b[0m\\n"');
  });

  it('replaces invalid UTF-8 and cuts long text', () => {
    expect(describeData(Uint8Array.of(0xff, 0x41))).toBe('DATA 2 bytes "\uFFFDA"');
    const long = describeData(text('y'.repeat(500)));
    expect(long).toBe(`DATA 500 bytes "${'y'.repeat(MAX_TRACED_TEXT)}"...`);
  });
});

describe('helpers', () => {
  it('quotes and cuts text', () => {
    expect(quoteText('a"b')).toBe('"a\\"b"');
    expect(quoteText('abcdef', 3)).toBe('"abc"... (+3 chars)');
  });

  it('prints bytes in hex and cuts long runs', () => {
    expect(hexBytes(Uint8Array.of(0, 15, 255))).toBe('00 0f ff');
    expect(hexBytes(Uint8Array.of(1, 2, 3), 2)).toBe('01 02 ... (+1 bytes)');
  });

  it('describes compression events in both directions', () => {
    expect(describeCompression({ _tag: 'CompressionStarted', direction: 'input', option: TelnetOption.MCCP2 })).toBe(
      'MCCP2 compression started',
    );
    expect(describeCompression({ _tag: 'CompressionEnded', direction: 'output', option: TelnetOption.MCCP3 })).toBe(
      'MCCP3 compression ended',
    );
  });

  it('describes a 5,000-deep GMCP body without throwing (it crashed connect --trace and the proxy)', () => {
    const deep = text(`Room.Map ${'['.repeat(5_000)}${']'.repeat(5_000)}`);
    expect(describeSubnegotiation(TelnetOption.GMCP, deep)).toMatch(
      /^SB GMCP <bad payload at body: JSON nested deeper than 32>/,
    );
  });

  it('prints any value as JSON without throwing', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(compactJson({ hp: 10 })).toBe('{"hp":10}');
    expect(compactJson(cyclic)).toBe('<unprintable: TypeError>');
    expect(compactJson(deep)).toBe('<unprintable: RangeError>');
    expect(compactJson(10n)).toBe('<unprintable: TypeError>');
    expect(compactJson(undefined)).toBe('undefined');
    expect(compactJson('x'.repeat(10), 4)).toBe('"xxx... (+8 chars)');
  });

  it('joins an arrow and a text', () => {
    expect(traceLine('<<', 'DO NAWS')).toBe('<< DO NAWS');
    expect(traceLine('C->S', 'GA')).toBe('C->S GA');
  });
});

describe('peer data in a trace line', () => {
  /** What a terminal would act on: ESC, BEL and the other C0 controls, DEL, the C1 range, bidi overrides. */
  // eslint-disable-next-line no-control-regex -- the point of the test
  const actionable = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

  it.each([
    [
      'ANSI in GMCP',
      subnegotiation(TelnetOption.GMCP, text('Comm.Channel {"text":"\u001b[2J\u001b]0;pwned\u0007\u009b31m"}')),
    ],
    ['ANSI in a GMCP package name', subnegotiation(TelnetOption.GMCP, text('Core\u001b[31m.Ping'))],
    ['ANSI in MSSP names', subnegotiation(TelnetOption.MSSP, Uint8Array.of(1, 0x1b, 0x5b, 0x32, 0x4a, 2, 0x41))],
    ['a bidi override in TTYPE', subnegotiation(TelnetOption.TTYPE, text('\u0000xterm\u202eevil'))],
    ['invalid UTF-8 and C1 in data', data(Uint8Array.of(0xff, 0xfe, 0xc2, 0x9b, 0x33, 0x31, 0x6d, 0x0d, 0x0a))],
    ['a warning detail', warning('StraySE', 'bad \u001b[31m\r\n')],
  ])('escapes what a terminal would act on: %s', (_name, event) => {
    const line = traceLine('<<', describeEvent(event));
    expect(line).not.toMatch(actionable);
    expect(line.length).toBeLessThanOrEqual(MAX_LINE_LENGTH + 40);
  });

  it('shows a 1 MB subnegotiation, a 1 MB GMCP body and 1 MB of data in one short line', () => {
    const huge = new Uint8Array(1 << 20).fill(0x41);
    const gmcp = text(`Room.Info {"desc":"${'\u001b'.repeat(1 << 20)}"}`);
    for (const event of [
      subnegotiation(200, huge),
      subnegotiation(TelnetOption.GMCP, gmcp),
      subnegotiation(TelnetOption.TTYPE, Uint8Array.of(0, ...huge.subarray(0, 100_000))),
      data(huge),
    ]) {
      const line = traceLine('S->C', describeEvent(event));
      expect(line.length).toBeLessThanOrEqual(MAX_LINE_LENGTH + 40);
      expect(line).not.toMatch(actionable);
    }
    expect(describeEvent(data(huge))).toBe(`DATA 1048576 bytes "${'A'.repeat(MAX_TRACED_TEXT)}"...`);
  });

  it('cuts a long line with a mark naming its length, and escapes before it cuts', () => {
    expect(safeLine('x'.repeat(MAX_LINE_LENGTH))).toBe('x'.repeat(MAX_LINE_LENGTH));
    expect(safeLine('x'.repeat(MAX_LINE_LENGTH + 1))).toBe(
      `${'x'.repeat(MAX_LINE_LENGTH)}... (cut from ${MAX_LINE_LENGTH + 1} chars)`,
    );
    expect(safeLine('\u001b'.repeat(MAX_LINE_LENGTH))).toBe(
      `${'\\u001b'.repeat(MAX_LINE_LENGTH / 6)}\\u00... (cut from ${MAX_LINE_LENGTH} chars)`,
    );
    expect(safeLine('tab\there \u2028 ok')).toBe('tab\\u0009here \\u2028 ok');
  });
});
