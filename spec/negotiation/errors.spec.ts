import { describe, expect, it } from 'vitest';
import {
  AlreadyDisabledError,
  AlreadyEnabledError,
  AlreadyNegotiatingError,
  ConnectionClosedError,
  DecompressionError,
  NegotiationTimeoutError,
  OptionRefusedError,
  TransportError,
  WebSocketError,
  isTelnetError,
  type TelnetError,
} from '../../src/negotiation/errors.js';
import { TelnetOption } from '../../src/protocol/options.js';

const cases: readonly (readonly [TelnetError, new (...args: never[]) => TelnetError, string, string])[] = [
  [
    new OptionRefusedError(TelnetOption.NAWS, 'local'),
    OptionRefusedError,
    'ERR_TELNET_OPTION_REFUSED',
    'The peer refused the negotiation of NAWS (local)',
  ],
  [
    new AlreadyEnabledError(TelnetOption.ECHO, 'remote'),
    AlreadyEnabledError,
    'ERR_TELNET_ALREADY_ENABLED',
    'ECHO (remote) is already enabled',
  ],
  [
    new AlreadyDisabledError(TelnetOption.SGA, 'local'),
    AlreadyDisabledError,
    'ERR_TELNET_ALREADY_DISABLED',
    'SGA (local) is already disabled',
  ],
  [
    new AlreadyNegotiatingError(TelnetOption.GMCP, 'remote'),
    AlreadyNegotiatingError,
    'ERR_TELNET_ALREADY_NEGOTIATING',
    'GMCP (remote) is already being negotiated',
  ],
  [
    new NegotiationTimeoutError(TelnetOption.TTYPE, 'remote', 5000),
    NegotiationTimeoutError,
    'ERR_TELNET_NEGOTIATION_TIMEOUT',
    'The peer did not answer the negotiation of TTYPE (remote) within 5000 ms',
  ],
  [new ConnectionClosedError(), ConnectionClosedError, 'ERR_TELNET_CONNECTION_CLOSED', 'The connection is closed'],
  [
    new DecompressionError(TelnetOption.MCCP2, 'TooLarge'),
    DecompressionError,
    'ERR_TELNET_DECOMPRESSION',
    'The MCCP2 compressed stream inflates to more than the allowed output',
  ],
];

describe('Telnet errors', () => {
  it.each(cases.map(([error, type, code, message]) => ({ error, type, code, message, name: type.name })))(
    '$name: tag, name, code, message, instanceof',
    ({ error, type, code, message, name }) => {
      expect(error).toBeInstanceOf(type);
      expect(error).toBeInstanceOf(Error);
      expect(error._tag).toBe(name);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error.message).toBe(message);
      expect(String(error)).toBe(`${name}: ${message}`);
      expect(error.stack).toContain(name);
    },
  );

  it('has one distinct tag and code per class', () => {
    expect(new Set(cases.map(([error]) => error._tag)).size).toBe(cases.length);
    expect(new Set(cases.map(([error]) => error.code)).size).toBe(cases.length);
  });

  it('keeps option, side and timeout on negotiation errors', () => {
    const error = new NegotiationTimeoutError(TelnetOption.NAWS, 'local', 250);
    expect([error.option, error.side, error.timeout]).toEqual([TelnetOption.NAWS, 'local', 250]);
    const refused = new OptionRefusedError(200, 'remote');
    expect([refused.option, refused.side]).toEqual([200, 'remote']);
    expect(refused.message).toBe('The peer refused the negotiation of ATCP (remote)');
  });

  it('names the option, when there is one, on a closed connection', () => {
    const bare = new ConnectionClosedError();
    expect([bare.option, bare.side]).toEqual([undefined, undefined]);
    const pending = new ConnectionClosedError(TelnetOption.NAWS, 'local');
    expect([pending.option, pending.side]).toEqual([TelnetOption.NAWS, 'local']);
    expect(pending.message).toBe('The connection closed before the negotiation of NAWS (local) settled');
    expect(new ConnectionClosedError(123).message).toBe('The connection closed before the negotiation of 123 settled');
  });

  it('keeps the reason and the cause of a decompression failure', () => {
    const cause = new Error('invalid stored block lengths');
    const error = new DecompressionError(TelnetOption.MCCP3, 'Corrupt', cause);
    expect([error.option, error.reason, error.cause]).toEqual([TelnetOption.MCCP3, 'Corrupt', cause]);
    expect(error.message).toBe('The MCCP3 compressed stream is corrupt');
    expect('cause' in new DecompressionError(TelnetOption.MCCP2, 'Corrupt')).toBe(false);
  });
});

describe('transport errors', () => {
  it('TransportError: tag, name, code, message, cause, instanceof', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const error = new TransportError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', { cause });
    expect(error).toBeInstanceOf(Error);
    expect([error._tag, error.name, error.code, error.cause]).toEqual([
      'TransportError',
      'TransportError',
      'ECONNREFUSED',
      cause,
    ]);
    expect(String(error)).toBe('TransportError: connect ECONNREFUSED 127.0.0.1:1');
  });

  it('WebSocketError: tag, name, code, close code and reason, instanceof', () => {
    const error = new WebSocketError('ERR_WEBSOCKET_CLOSED', 'WebSocket closed', 4000, 'bye');
    expect(error).toBeInstanceOf(Error);
    expect([error._tag, error.name, error.code, error.closeCode, error.closeReason]).toEqual([
      'WebSocketError',
      'WebSocketError',
      'ERR_WEBSOCKET_CLOSED',
      4000,
      'bye',
    ]);
    expect(String(error)).toBe('WebSocketError: WebSocket closed');
  });
});

describe('isTelnetError', () => {
  it.each(cases.map(([error]) => error))('recognises $name', (error) => {
    expect(isTelnetError(error)).toBe(true);
  });

  it.each([
    new TransportError('ECONNRESET', 'read ECONNRESET'),
    new WebSocketError('ERR_WEBSOCKET_FAILED', 'WebSocket failed'),
  ])('recognises the transport error $name', (error) => {
    expect(isTelnetError(error)).toBe(true);
  });

  it('recognises a tagged error from another copy of the library', () => {
    const foreign = Object.assign(new Error('closed'), {
      _tag: 'ConnectionClosedError',
      code: 'ERR_TELNET_CONNECTION_CLOSED',
    });
    expect(isTelnetError(foreign)).toBe(true);
  });

  it.each([
    ['a plain Error', new Error('boom')],
    ['an Error with another tag', Object.assign(new Error('x'), { _tag: 'Other' })],
    ['an Error with a non-string tag', Object.assign(new Error('x'), { _tag: 7 })],
    ['a tagged plain object', { _tag: 'OptionRefusedError', code: 'ERR_TELNET_OPTION_REFUSED' }],
    ['a string', 'OptionRefusedError'],
    ['undefined', undefined],
    ['null', null],
  ])('rejects %s', (_label, value) => {
    expect(isTelnetError(value)).toBe(false);
  });
});
