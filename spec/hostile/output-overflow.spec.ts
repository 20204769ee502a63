/**
 * Finding 2: a client that never reads but keeps sending commands. The server stops reading from it once its
 * output passes `maxBufferedOutput`, then closes it with `OutputOverflow`; its memory stays bounded, and a
 * well-behaved client on the same server is served all along.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TelnetOption } from '../../src/protocol/options.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { closedWithin, delay, rawClient, startServer } from './support.js';
import type { HostileServer } from './support.js';

const MiB = 1024 * 1024;
/** What the attacker sends at most: at 500 answered bytes per 6-byte command, about 350 MB of answers. */
const FLOOD = 4 * MiB;
/** Growth of the server process's memory (RSS, and heap plus array buffers) the case accepts. */
const BOUND = 48 * MiB;

const servers: HostileServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) server.stop();
  await Promise.all(sockets.splice(0).map((socket) => closedWithin(socket, 1000)));
});

/** About 500 bytes that do not compress, so that MCCP2 does not shrink the backlog away. */
const answer = (n: number): string => `${randomBytes(366).toString('base64')} ${n}\r\n`;

const memory = (): { rss: number; buffers: number } => {
  const usage = process.memoryUsage();
  return { rss: usage.rss, buffers: usage.heapUsed + usage.arrayBuffers };
};

/**
 * Writes `look\r\n` commands in 64 KiB chunks, never reading, until `FLOOD` bytes are out, the socket closes
 * or `ms` pass; waits for drain (bounded) whenever the socket's own buffer is full. Returns the bytes sent.
 */
const flood = async (socket: Socket, ms: number): Promise<number> => {
  const chunk = Buffer.from('look\r\n'.repeat(Math.floor(65536 / 6)));
  const until = performance.now() + ms;
  let sent = 0;
  while (sent < FLOOD && !socket.destroyed && performance.now() < until) {
    sent += chunk.length;
    if (!socket.write(chunk)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        socket.once('drain', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    } else await new Promise((resolve) => setImmediate(resolve));
  }
  return sent;
};

/** A well-behaved client: sends one command and resolves with the time its answer took, in ms. */
const politeRoundTrip = async (port: number): Promise<number> => {
  const socket = await rawClient(port);
  sockets.push(socket);
  const started = performance.now();
  socket.write('look\r\n');
  await new Promise<void>((resolve) => {
    let seen = '';
    socket.on('data', (bytes: Buffer) => {
      seen += bytes.toString('latin1');
      if (seen.includes(' 1\r\n')) resolve();
    });
  });
  const took = performance.now() - started;
  socket.end();
  return took;
};

const floodCase = async (mccp2: boolean): Promise<void> => {
  const server = await startServer(
    { outputOverflowTimeout: 1000, ...(mccp2 ? { policy: policyOf({ local: [TelnetOption.MCCP2] }) } : {}) },
    answer,
  );
  servers.push(server);
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const before = memory();
  let peak = before;
  const sampler = setInterval(() => {
    const now = memory();
    peak = { rss: Math.max(peak.rss, now.rss), buffers: Math.max(peak.buffers, now.buffers) };
  }, 20);

  const attacker = await rawClient(server.port);
  sockets.push(attacker);
  attacker.pause(); // never reads
  if (mccp2) attacker.write(Uint8Array.of(255, 253, TelnetOption.MCCP2)); // IAC DO MCCP2: compress to me
  const attacked = await server.next();
  const flooding = flood(attacker, 4000);
  await delay(300);
  const polite = await politeRoundTrip(server.port);
  await server.next();
  const sent = await flooding;
  const outcome = await Promise.race([attacked.closed, delay(3000).then(() => undefined)]);
  clearInterval(sampler);

  const growth = { rss: peak.rss - before.rss, buffers: peak.buffers - before.buffers };
  if (process.env.HOSTILE_REPORT !== undefined) {
    console.log(
      `flood${mccp2 ? ' with MCCP2' : ''}: sent ${sent} bytes, outcome ${outcome?.reason._tag}, ` +
        `peak growth rss ${(growth.rss / MiB).toFixed(1)} MiB, heap+buffers ${(growth.buffers / MiB).toFixed(1)} MiB, ` +
        `polite round trip ${polite.toFixed(0)} ms`,
    );
  }
  expect(outcome?.reason).toMatchObject({ _tag: 'OutputOverflow', limit: MiB });
  expect(growth.buffers).toBeLessThan(BOUND);
  expect(growth.rss).toBeLessThan(BOUND);
  expect(polite).toBeLessThan(1000);
};

describe('a client that floods commands and never reads', { timeout: 15_000 }, () => {
  it('is throttled, then closed with OutputOverflow; memory stays bounded and others are served', async () => {
    await floodCase(false);
  });

  it('is bounded the same way while MCCP2 compresses its answers', async () => {
    await floodCase(true);
  });
});
