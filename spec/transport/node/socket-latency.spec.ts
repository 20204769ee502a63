/**
 * Interactive latency: sockets are TCP_NODELAY unless told otherwise, and the writes of one tick go out as one
 * socket write (corked until the next tick).
 */
import { connect, createServer, Socket } from 'node:net';
import type { Server } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectTelnet, listenTelnet } from '../../../src/node/telnet.js';
import { socketTransport } from '../../../src/transport/node/socket-transport.js';
import { connectTcp, listenTcp } from '../../../src/transport/node/tcp.js';
import { bytes, openResources, read, startServer } from './loopback.js';

const resources = openResources();
const rawServers: Server[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  resources.closeAll();
  for (const server of rawServers.splice(0)) server.close();
});

/** A connected pair of plain sockets: [ours, the peer's]. */
const socketPair = (): Promise<readonly [Socket, Socket]> =>
  new Promise((resolve) => {
    const server = createServer((peer) => {
      resolve([ours, peer]);
    });
    rawServers.push(server);
    let ours = new Socket();
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      ours = connect({ host: '127.0.0.1', port: (server.address() as { port: number }).port });
    });
  });

const nextTick = (): Promise<void> =>
  new Promise((resolve) => {
    process.nextTick(resolve);
  });

describe('socketTransport latency', { timeout: 10_000 }, () => {
  it('sets TCP_NODELAY by default, and leaves Nagle on with noDelay: false', async () => {
    const [ours, peer] = await socketPair();
    const setNoDelay = vi.spyOn(ours, 'setNoDelay');
    resources.transport(socketTransport(ours));
    expect(setNoDelay).toHaveBeenCalledWith(true);
    const setPeerNoDelay = vi.spyOn(peer, 'setNoDelay');
    resources.transport(socketTransport(peer, { noDelay: false }));
    expect(setPeerNoDelay).toHaveBeenCalledWith(false);
  });

  it('coalesces the writes of one tick into one socket write, in order, and flushes them on close', async () => {
    const [ours, peer] = await socketPair();
    const transport = resources.transport(socketTransport(ours));
    const reader = read(resources.transport(socketTransport(peer)));
    const writev = vi.spyOn(ours, '_writev');
    expect(transport.write(bytes('You see a room.\r\n'))).toBe(true);
    expect(ours.writableCorked).toBe(1);
    transport.write(bytes('Exits: north\r\n'));
    transport.write(bytes('> '));
    expect(ours.writableCorked).toBe(1);
    await nextTick();
    expect(ours.writableCorked).toBe(0);
    expect(writev).toHaveBeenCalledTimes(1);
    transport.write(new Uint8Array(64 * 1024).fill(0x2e));
    expect(ours.writableCorked).toBe(0); // a large write goes out at once, as before
    transport.write(bytes('Bye.\r\n'));
    transport.close();
    await reader.done;
    expect(reader.text()).toBe(`You see a room.\r\nExits: north\r\n> ${'.'.repeat(64 * 1024)}Bye.\r\n`);
  });

  it('connectTcp, listenTcp, connectTelnet and listenTelnet pass noDelay on', async () => {
    const setNoDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    const server = resources.server(await startServer(listenTcp({ noDelay: false })));
    resources.transport(await firstValueFrom(connectTcp({ host: '127.0.0.1', port: server.port, noDelay: false })));
    resources.transport(await server.accept());
    expect(setNoDelay.mock.calls).toEqual([[false], [false]]);

    setNoDelay.mockClear();
    const telnet = listenTelnet({ noDelay: false }).subscribe((event) => {
      if (event._tag === 'Listening') {
        connectTelnet({ host: '127.0.0.1', port: event.address.port, noDelay: false }).subscribe((client) => {
          client.loseConnection();
        });
      } else if (event._tag === 'Connected') {
        event.connection.loseConnection();
      }
    });
    await vi.waitFor(() => {
      expect(setNoDelay).toHaveBeenCalledTimes(2);
    });
    telnet.unsubscribe();
    expect(setNoDelay.mock.calls).toEqual([[false], [false]]);
  });
});
