/**
 * A hostile MUD server against our client, on loopback: MCCP2 bombs single and paced, and a corrupt stream.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { constants, createDeflate } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { connectTelnet } from '../../src/node/telnet.js';
import type { TelnetConnectOptions } from '../../src/node/telnet.js';
import { createConnection } from '../../src/session/connection.js';
import type { CloseReason } from '../../src/session/connection.js';
import { createMemoryTransports } from '../../src/transport/memory.js';

const { IAC, WILL, SB, SE } = Command;
const { MCCP2 } = TelnetOption;
const MiB = 1024 * 1024;

/** One zlib stream of `writes`, each ended by a sync flush, as a MUD server sends them; finished when `end`. */
const deflateAll = async (writes: readonly Uint8Array[], end = true): Promise<Buffer> => {
  const engine = createDeflate({ flush: constants.Z_SYNC_FLUSH });
  const parts: Buffer[] = [];
  engine.on('data', (part: Buffer) => parts.push(part));
  for (const chunk of writes) engine.write(chunk);
  if (end) {
    engine.end();
    await once(engine, 'end');
  } else {
    await new Promise<void>((resolve) => {
      engine.flush(constants.Z_SYNC_FLUSH, () => {
        resolve();
      });
    });
    engine.destroy();
  }
  return Buffer.concat(parts);
};

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A server that offers MCCP2 and, once the client agrees, sends `compressed` after the start marker. */
const hostileServer = async (send: (socket: Socket) => Promise<void> | void): Promise<number> => {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.write(Uint8Array.from([IAC, WILL, MCCP2]));
    socket.once('data', () => {
      socket.write(Uint8Array.from([IAC, SB, MCCP2, IAC, SE]));
      void Promise.resolve(send(socket));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};

/** Connects as an MCCP2 client; resolves with the text received and how the connection closed. */
const runClient = async (
  port: number,
  options: Partial<TelnetConnectOptions> = {},
): Promise<{ readonly text: string; readonly reason: CloseReason }> =>
  new Promise((resolve, reject) => {
    const decoder = new TextDecoder();
    let text = '';
    connectTelnet({
      host: '127.0.0.1',
      port,
      policy: policyOf({ remote: [MCCP2] }),
      newline: 'raw',
      ...options,
    }).subscribe({
      next: (connection) => {
        connection.data$.subscribe((bytes) => {
          text += decoder.decode(bytes, { stream: true });
        });
        connection.closed$.subscribe((reason) => {
          resolve({ text, reason });
        });
      },
      error: reject,
    });
  });

const welcome = Buffer.from('Welcome to the trap.\r\n');

describe('hostile MCCP2 server', { timeout: 20_000 }, () => {
  let bomb: Buffer;
  beforeAll(async () => {
    const zeros = Buffer.alloc(MiB);
    bomb = await deflateAll([welcome, ...Array.from({ length: 256 }, () => zeros)]);
  });

  it('a 256 MiB bomb in one write closes the connection TooLarge, after the text before it', async () => {
    const port = await hostileServer((socket) => {
      socket.write(bomb);
    });
    const { text, reason } = await runClient(port);
    expect(reason).toMatchObject({ _tag: 'CompressionFailed', error: { reason: 'TooLarge' } });
    expect(text.startsWith(welcome.toString())).toBe(true);
  });

  it('the same bomb paced in 4 KiB writes fails the same way, long before it is all inflated', async () => {
    let written = 0;
    const port = await hostileServer(async (socket) => {
      socket.setNoDelay(true);
      for (let at = 0; at < bomb.length && !socket.destroyed; at += 4096) {
        const chunk = bomb.subarray(at, at + 4096);
        await new Promise((resolve) => socket.write(chunk, resolve));
        written += chunk.length;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      socket.end();
    });
    const { text, reason } = await runClient(port);
    expect(reason).toMatchObject({ _tag: 'CompressionFailed', error: { reason: 'TooLarge' } });
    expect(text.startsWith(welcome.toString())).toBe(true);
    // 4 MiB allowance plus 100 times what was read: the bomb's 256 MiB never get through.
    expect(text.length).toBeLessThan(32 * MiB);
    expect(written).toBeLessThan(bomb.length);
  });

  it('a corrupt stream delivers the text flushed before the corruption in the same write, then closes Corrupt', async () => {
    const lines = ['You see a room.\r\n', 'Exits: north\r\n'].map((line) => Buffer.from(line));
    const valid = await deflateAll(lines, false);
    const port = await hostileServer((socket) => {
      socket.write(Buffer.concat([valid, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x12, 0x34])]));
    });
    const { text, reason } = await runClient(port);
    expect(text).toBe('You see a room.\r\nExits: north\r\n');
    expect(reason).toMatchObject({ _tag: 'CompressionFailed', error: { reason: 'Corrupt' } });
  });

  it('the connection passes maxInflateRatio and inflateRatioAllowance to the engine', async () => {
    const port = await hostileServer(async (socket) => {
      socket.write(await deflateAll([Buffer.alloc(64 * 1024, 0x41)], false));
    });
    const { reason } = await runClient(port, { maxInflateRatio: 2, inflateRatioAllowance: 1024 });
    expect(reason).toMatchObject({ _tag: 'CompressionFailed', error: { reason: 'TooLarge' } });
  });

  it('invalid inflate bounds are a RangeError when the connection is created', () => {
    const [transport] = createMemoryTransports();
    for (const bad of [0, -1, Number.NaN]) {
      expect(() => createConnection(transport, { maxInflateRatio: bad })).toThrow(RangeError);
      expect(() => createConnection(transport, { maxInflatedPerChunk: bad })).toThrow(RangeError);
    }
    expect(() => createConnection(transport, { inflateRatioAllowance: -1 })).toThrow(RangeError);
  });
});
