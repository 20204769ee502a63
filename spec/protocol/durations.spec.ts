/**
 * One rule for every timeout option of the library, held for the rule itself and for each option that takes it:
 * 0, negative and NaN are a RangeError when the option is given; Infinity means no timeout.
 */
import { createServer } from 'node:http';
import { Socket } from 'node:net';
import { EMPTY } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { createExpect } from '../../src/expect/expect.js';
import { drainOn } from '../../src/node/drain.js';
import { attachGateway } from '../../src/node/gateway.js';
import { lines } from '../../src/operators/lines.js';
import { timeoutOption } from '../../src/protocol/durations.js';
import { createConnection } from '../../src/session/connection.js';
import { expectText, manualTransport, scriptedPeer } from '../../src/testing/index.js';
import { socketTransport } from '../../src/transport/node/socket-transport.js';
import { connectTcp, listenTcp } from '../../src/transport/node/tcp.js';

const invalid = [0, -1, Number.NaN];

describe('timeoutOption', () => {
  it('takes a number above 0 or Infinity, and gives the fallback for undefined', () => {
    expect(timeoutOption('t', 1, 5)).toBe(1);
    expect(timeoutOption('t', Infinity, 5)).toBe(Infinity);
    expect(timeoutOption('t', undefined, 5)).toBe(5);
  });

  it.each(invalid)('refuses %d with a RangeError that names the option', (value) => {
    expect(() => timeoutOption('readyQuiet', value, 5)).toThrow(RangeError);
    expect(() => timeoutOption('readyQuiet', value, 5)).toThrow(/^readyQuiet must be/);
  });
});

describe('every timeout option outside the connection follows it', () => {
  const server = createServer();
  afterAll(() => {
    server.close();
  });
  const options: readonly (readonly [string, (value: number) => unknown])[] = [
    ['lines idlePrompt', (value) => lines({ idlePrompt: value })],
    ['createExpect timeout', (value) => createExpect(createConnection(manualTransport()), { timeout: value })],
    ['drainOn deadline', (value) => drainOn(EMPTY, { deadline: value })],
    ['connectTcp timeout', (value) => connectTcp({ host: '127.0.0.1', port: 1, timeout: value })],
    ['listenTcp proxyHeaderTimeout', (value) => listenTcp({ proxyProtocol: true, proxyHeaderTimeout: value })],
    ['socketTransport closeTimeout', (value) => socketTransport(new Socket(), { closeTimeout: value })],
    ['scriptedPeer step timeout', (value) => scriptedPeer([expectText('login:', { timeout: value })])],
  ];

  it.each(options.flatMap(([name, make]) => invalid.map((value) => [name, value, make] as const)))(
    '%s: %d is a RangeError',
    (_, value, make) => {
      expect(() => make(value)).toThrow(RangeError);
    },
  );

  it.each(options)('%s: Infinity is taken', (_, make) => {
    expect(() => make(Infinity)).not.toThrow();
  });

  it.each(invalid)('attachGateway idleTimeout: %d is a RangeError', (value) => {
    expect(() => attachGateway(server, { to: { host: '127.0.0.1', port: 1 }, idleTimeout: value })).toThrow(RangeError);
  });
});
