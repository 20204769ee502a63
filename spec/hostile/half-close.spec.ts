/**
 * Finding 3: a client sends 20 commands, then half-closes (FIN, still reading). Every answer the application
 * writes before the connection closes reaches it, whether MCCP2 compresses them or not.
 */
import type { Socket } from 'node:net';
import { inflateSync, constants } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { TelnetOption } from '../../src/protocol/options.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { closedWithin, rawClient, startServer } from './support.js';
import type { HostileServer } from './support.js';

const servers: HostileServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) server.stop();
  await Promise.all(sockets.splice(0).map((socket) => closedWithin(socket, 1000)));
});

const MCCP2_START = Buffer.from([255, 250, TelnetOption.MCCP2, 255, 240]);

/** Everything the client receives until the server's FIN, and the FIN's arrival. */
const collect = (socket: Socket): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (bytes: Buffer) => chunks.push(bytes));
    socket.once('end', () => {
      resolve(Buffer.concat(chunks));
    });
    socket.once('error', reject);
  });

/** The text of what the server sent: inflated after `IAC SB MCCP2 IAC SE` when it compressed. */
const textOf = (wire: Buffer): string => {
  const start = wire.indexOf(MCCP2_START);
  if (start < 0) return wire.toString('latin1');
  const compressed = wire.subarray(start + MCCP2_START.length);
  const inflated = inflateSync(compressed, { finishFlush: constants.Z_SYNC_FLUSH });
  return wire.subarray(0, start).toString('latin1') + inflated.toString('latin1');
};

const halfCloseCase = async (mccp2: boolean): Promise<string[]> => {
  const server = await startServer(
    mccp2 ? { policy: policyOf({ local: [TelnetOption.MCCP2] }) } : {},
    (n) => `answer ${n}\r\n`,
  );
  servers.push(server);
  const client = await rawClient(server.port, true);
  sockets.push(client);
  const wire = collect(client);
  if (mccp2) {
    client.write(Uint8Array.of(255, 253, TelnetOption.MCCP2));
    const served = await server.next();
    await new Promise<void>((resolve) => {
      if (served.connection.isCompressing('output')) resolve();
      else
        served.connection.compression$.subscribe(() => {
          resolve();
        });
    });
  }
  for (let n = 1; n <= 20; n++) client.write(`command ${n}\r\n`);
  client.end();
  const text = textOf(await wire);
  return text.match(/answer \d+/g) ?? [];
};

const twenty = Array.from({ length: 20 }, (_, i) => `answer ${i + 1}`);

describe('a client that half-closes after its commands', { timeout: 10_000 }, () => {
  it('gets all 20 answers', async () => {
    expect(await halfCloseCase(false)).toEqual(twenty);
  });

  it('gets all 20 answers while MCCP2 compresses them, and a finished compressed stream', async () => {
    expect(await halfCloseCase(true)).toEqual(twenty);
  });
});
