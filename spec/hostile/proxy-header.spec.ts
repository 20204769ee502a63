/**
 * Hostile bytes where a PROXY header should be, over real loopback sockets: whatever a peer sends, a
 * `proxyProtocol` server refuses it or accepts it (a valid header), never throws, and hands an accepted
 * connection exactly the bytes that followed the header.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { listenTcp } from '../../src/transport/node/tcp.js';
import type { ListenEvent } from '../../src/transport/node/listen-server.js';
import { parseProxyHeader } from '../../src/transport/proxy-header.js';
import { proxyV1, proxyV2, v2Signature } from '../helpers/proxy-header.js';

let port = 0;
let subscription: Subscription | undefined;
const events: ListenEvent[] = [];
const waiters: (() => void)[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    subscription = listenTcp({ proxyProtocol: true, proxyHeaderTimeout: Infinity }).subscribe((event) => {
      if (event._tag === 'Listening') {
        port = event.address.port;
        resolve();
        return;
      }
      events.push(event);
      for (const waiter of waiters.splice(0)) waiter();
    });
  });
});
afterAll(() => subscription?.unsubscribe());

const nextEvent = (): Promise<ListenEvent> =>
  new Promise((resolve) => {
    const check = (): void => {
      const event = events.shift();
      if (event === undefined) waiters.push(check);
      else resolve(event);
    };
    check();
  });

/** Sends `bytes` and half-closes; resolves with what the server made of it and what its transport read. */
const exchange = async (bytes: Uint8Array): Promise<{ event: ListenEvent; read?: Buffer }> => {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  socket.end(bytes);
  const event = await nextEvent();
  socket.destroy();
  if (event._tag !== 'Connected') return { event };
  const chunks: Uint8Array[] = [];
  await new Promise<void>((resolve) => {
    event.transport.input.subscribe({
      next: (chunk) => chunks.push(chunk),
      complete: resolve,
      error: () => {
        resolve();
      },
    });
  });
  event.transport.close();
  return { event, read: Buffer.concat(chunks) };
};

const prefix = fc.oneof(
  fc.constant(Uint8Array.of()),
  fc.constant(new TextEncoder().encode('PROXY ')),
  fc.constant(Uint8Array.from(v2Signature)),
  fc.constant(proxyV1({ address: '10.1.2.3', port: 9 }, { address: '10.0.0.1', port: 23 })),
  fc.constant(proxyV2({ address: '10.1.2.3', port: 9 }, { address: '10.0.0.1', port: 23 })),
);

describe('a proxyProtocol server against hostile bytes', { timeout: 60_000 }, () => {
  it('refuses or accepts, and an accepted connection reads exactly what followed the header', async () => {
    await fc.assert(
      fc.asyncProperty(prefix, fc.uint8Array({ maxLength: 200 }), async (head, tail) => {
        const bytes = Buffer.concat([head, tail]);
        const expected = parseProxyHeader(bytes, 4096);
        const { event, read } = await exchange(bytes);
        if (expected._tag === 'Header') {
          expect(event._tag).toBe('Connected');
          expect(read).toEqual(bytes.subarray(expected.consumed));
        } else {
          expect(event).toMatchObject({ _tag: 'Refused', reason: 'ProxyHeader' });
          const code = expected._tag === 'Invalid' ? expected.code : 'ERR_PROXY_TRUNCATED';
          expect(event).toMatchObject({ code });
        }
      }),
      { numRuns: 150 },
    );
  });
});
