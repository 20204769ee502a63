import { describe, expect, it } from 'vitest';
import { decodeStatus, encodeStatusIs, encodeStatusSend } from '../../src/options/status.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right } from './wire.js';

const { WILL, DO, SB, SE } = Command;

describe('encodeStatusIs', () => {
  it('lists local options as WILL and remote ones as DO (IAC SB STATUS IS WILL ECHO DO SGA ... IAC SE)', () => {
    expect(encodeStatusIs({ local: [TelnetOption.ECHO, TelnetOption.SGA], remote: [TelnetOption.SGA] })).toEqual(
      Uint8Array.of(0, WILL, TelnetOption.ECHO, WILL, TelnetOption.SGA, DO, TelnetOption.SGA),
    );
  });

  it('doubles SE as data, in option codes and parameters, and closes SB with a single SE', () => {
    expect(
      encodeStatusIs({
        local: [240],
        remote: [],
        subnegotiations: [{ option: TelnetOption.NAWS, parameters: Uint8Array.of(0, 240) }],
      }),
    ).toEqual(Uint8Array.of(0, WILL, SE, SE, SB, TelnetOption.NAWS, 0, SE, SE, SE));
  });

  it('leaves IAC single: the frame encoder doubles it', () => {
    expect(encodeStatusIs({ local: [TelnetOption.EXOPL], remote: [] })).toEqual(Uint8Array.of(0, WILL, 255));
  });

  it('writes SEND', () => {
    expect(encodeStatusSend()).toEqual(Uint8Array.of(1));
  });
});

describe('decodeStatus', () => {
  it('reads SEND and IS', () => {
    expect(right(decodeStatus(Uint8Array.of(1)))).toEqual({ _tag: 'Send' });
    expect(
      right(decodeStatus(Uint8Array.of(0, WILL, TelnetOption.ECHO, DO, TelnetOption.SGA, WILL, TelnetOption.SGA))),
    ).toEqual({
      _tag: 'Is',
      local: [TelnetOption.ECHO, TelnetOption.SGA],
      remote: [TelnetOption.SGA],
      subnegotiations: [],
    });
  });

  it('undoubles SE and reads SB sections', () => {
    expect(
      right(
        decodeStatus(
          Uint8Array.of(0, DO, SE, SE, SB, TelnetOption.NAWS, 0, 80, SE, SE, SE, SB, TelnetOption.TTYPE, SE),
        ),
      ),
    ).toEqual({
      _tag: 'Is',
      local: [],
      remote: [240],
      subnegotiations: [
        { option: TelnetOption.NAWS, parameters: Uint8Array.of(0, 80, 240) },
        { option: TelnetOption.TTYPE, parameters: new Uint8Array(0) },
      ],
    });
  });

  it('rejects malformed payloads with the byte offset', () => {
    left(decodeStatus(new Uint8Array(0)), TelnetOption.STATUS, 'offset 0');
    left(decodeStatus(Uint8Array.of(2)), TelnetOption.STATUS, 'offset 0');
    left(decodeStatus(Uint8Array.of(1, 0)), TelnetOption.STATUS, 'offset 1');
    left(decodeStatus(Uint8Array.of(0, Command.WONT, 1)), TelnetOption.STATUS, 'offset 1');
    left(decodeStatus(Uint8Array.of(0, WILL)), TelnetOption.STATUS, 'offset 2');
    left(decodeStatus(Uint8Array.of(0, WILL, SE, DO, 1)), TelnetOption.STATUS, 'offset 2');
    left(decodeStatus(Uint8Array.of(0, SB, TelnetOption.NAWS, 0, 80)), TelnetOption.STATUS, 'offset 3');
  });
});
