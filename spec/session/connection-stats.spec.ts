/** The counters of one connection (`stats()`) and the forced close (`abort()`). */
import { deflateSync } from 'node:zlib';
import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { nodeCompression } from '../../src/transport/node/zlib.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, DO, SB, SE } = Command;
const { MCCP2, ECHO } = TelnetOption;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('TelnetConnection.stats', () => {
  it('counts wire bytes and negotiations both ways, without compression', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [ECHO] }) });
    transport.receive(IAC, WILL, ECHO, ...text('hello'));
    connection.write('abc');
    expect(connection.stats()).toEqual({
      bytesReceived: 8,
      bytesSent: transport.wire().length,
      compressedBytesReceived: 0,
      inflatedBytesReceived: 0,
      compressedBytesSent: 0,
      uncompressedBytesSent: 0,
      negotiationsReceived: 1,
      negotiationsSent: 1,
    });
    expect(transport.wire()).toEqual([IAC, DO, ECHO, ...text('abc')]);
  });

  it('counts what MCCP2 compressed in both directions, the plain rest of the starting chunk excluded', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, {
      compression: nodeCompression,
      policy: policyOf({ local: [MCCP2], remote: [MCCP2] }),
    });
    connection.data$.subscribe();
    const compressed = deflateSync(new TextEncoder().encode('x'.repeat(1000)));
    transport.receive(IAC, WILL, MCCP2);
    transport.receiveChunk(Uint8Array.from([IAC, SB, MCCP2, IAC, SE, ...compressed, ...text('plain')]));
    transport.receive(IAC, DO, MCCP2);
    await settle(); // the inflater answers on the thread pool: DO MCCP2 is decoded after it
    connection.write('y'.repeat(2000));
    await settle();
    const stats = connection.stats();
    expect(stats.compressedBytesReceived).toBe(compressed.length);
    expect(stats.inflatedBytesReceived).toBe(1000);
    expect(stats.bytesReceived).toBe(3 + 5 + compressed.length + 5 + 3);
    expect(stats.uncompressedBytesSent).toBe(2000);
    expect(stats.compressedBytesSent).toBeGreaterThan(0);
    expect(stats.compressedBytesSent).toBeLessThan(100);
    expect(stats.bytesSent).toBe(transport.wire().length);
  });
});

describe('TelnetConnection.abort', () => {
  it('closes at once with ClosedByUs, dropping the output, even during a graceful close', async () => {
    const scripted = manualTransport();
    let aborts = 0;
    // A peer that never acknowledges our close: the graceful close would wait for the transport's timeout.
    const transport = {
      ...scripted,
      close: () => undefined,
      abort: () => {
        aborts++;
      },
    };
    const connection = createConnection(transport);
    let closed = false;
    connection.closed$.subscribe(() => (closed = true));
    connection.loseConnection();
    expect(closed).toBe(false);
    connection.abort();
    expect(await firstValueFrom(connection.closed$)).toEqual({ _tag: 'ClosedByUs' });
    expect(aborts).toBe(1);
    expect(connection.write('late')).toBe(false);
    connection.abort(); // a second call does nothing
    expect(aborts).toBe(1);
  });
});
