import { firstValueFrom, lastValueFrom } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectTcp, listenTcp } from '../../../src/transport/node/tcp.js';
import { TransportError } from '../../../src/negotiation/errors.js';
import { bytes, delay, openResources, read, startServer } from './loopback.js';

const resources = openResources();
afterEach(resources.closeAll);

const connect = async (port: number) =>
  resources.transport(await firstValueFrom(connectTcp({ host: '127.0.0.1', port })));

/** A port nothing listens on: bound by a server that was then closed. */
const closedPort = async (): Promise<number> => {
  const server = await startServer(listenTcp());
  server.stop();
  return server.port;
};

describe('listenTcp and connectTcp', { timeout: 5_000 }, () => {
  it('reports the port it bound when port 0 is asked', async () => {
    const first = await firstValueFrom(listenTcp({ port: 0 }));
    expect(first).toMatchObject({ _tag: 'Listening', address: { family: 'IPv4', address: '127.0.0.1' } });
    expect(first._tag === 'Listening' && first.address.port > 0).toBe(true);
  });

  it('carries bytes both ways and describes both ends', async () => {
    const server = resources.server(await startServer(listenTcp()));
    const client = await connect(server.port);
    const accepted = resources.transport(await server.accept());
    const atServer = read(accepted);
    const atClient = read(client);

    expect(client.write(bytes('hello'))).toBe(true);
    await atServer.waitFor(5);
    expect(accepted.write(bytes('world!'))).toBe(true);
    await atClient.waitFor(6);

    expect(atServer.text()).toBe('hello');
    expect(atClient.text()).toBe('world!');
    expect(client.peer).toEqual({ family: 'IPv4', address: '127.0.0.1', port: server.port });
    expect(accepted.host).toEqual({ family: 'IPv4', address: '127.0.0.1', port: server.port });
    expect(accepted.peer.port).toBe(client.host.port);
  });

  it('completes both inputs when the client closes, after delivering what it wrote', async () => {
    const server = resources.server(await startServer(listenTcp()));
    const client = await connect(server.port);
    const accepted = resources.transport(await server.accept());
    const atServer = read(accepted);
    const atClient = read(client);

    client.write(bytes('bye'));
    client.close();
    await atServer.done;
    expect(atServer.text()).toBe('bye');
    accepted.close();
    await atClient.done;
  });

  it('completes both inputs when the server closes', async () => {
    const server = resources.server(await startServer(listenTcp()));
    const client = await connect(server.port);
    const accepted = resources.transport(await server.accept());
    const atServer = read(accepted);
    const atClient = read(client);

    accepted.write(bytes('goodbye'));
    accepted.close();
    await atClient.done;
    expect(atClient.text()).toBe('goodbye');
    await atServer.done;
  });

  it('errors with a typed ECONNREFUSED when nothing listens', async () => {
    const port = await closedPort();
    const error: unknown = await firstValueFrom(connectTcp({ host: '127.0.0.1', port })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ _tag: 'TransportError', code: 'ECONNREFUSED' });
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('never connects when unsubscribed before the connection is made', async () => {
    const server = resources.server(await startServer(listenTcp()));
    const emitted: unknown[] = [];
    connectTcp({ host: '127.0.0.1', port: server.port })
      .subscribe((transport) => emitted.push(transport))
      .unsubscribe();
    await delay(100);
    expect(emitted).toEqual([]);
    expect(server.acceptedCount()).toBe(0);
  });

  it.each([0, -1, Number.NaN])('refuses timeout %d at the call with a RangeError naming it', (timeout) => {
    expect(() => connectTcp({ host: '127.0.0.1', port: 1, timeout })).toThrow(RangeError);
    expect(() => connectTcp({ host: '127.0.0.1', port: 1, timeout })).toThrow(
      /^timeout must be a number of milliseconds above 0/,
    );
  });

  it('with timeout Infinity sets no timer: it connects, and never gives up on its own', async () => {
    const server = resources.server(await startServer(listenTcp()));
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    try {
      resources.transport(
        await firstValueFrom(connectTcp({ host: '127.0.0.1', port: server.port, timeout: Infinity })),
      );
      expect(setTimeoutSpy.mock.calls.filter(([, ms]) => ms === Infinity)).toEqual([]);
      expect(setTimeoutSpy.mock.calls.filter(([, ms]) => ms === 10_000)).toEqual([]);
    } finally {
      setTimeoutSpy.mockRestore();
    }
  });

  it('errors with ABORT_ERR when the signal is already aborted, without connecting', async () => {
    const server = resources.server(await startServer(listenTcp()));
    const attempt = connectTcp({ host: '127.0.0.1', port: server.port, signal: AbortSignal.abort() });
    await expect(lastValueFrom(attempt)).rejects.toMatchObject({ code: 'ABORT_ERR' });
    await delay(50);
    expect(server.acceptedCount()).toBe(0);
  });

  it('stops listening when unsubscribed but keeps the connections it accepted', async () => {
    const server = await startServer(listenTcp());
    const client = await connect(server.port);
    const accepted = resources.transport(await server.accept());
    const atServer = read(accepted);
    const atClient = read(client);

    server.stop();
    await expect(firstValueFrom(connectTcp({ host: '127.0.0.1', port: server.port }))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    client.write(bytes('still'));
    accepted.write(bytes('here'));
    await atServer.waitFor(5);
    await atClient.waitFor(4);
    expect([atServer.text(), atClient.text()]).toEqual(['still', 'here']);
  });

  it('keeps the transport firstValueFrom gave open after the subscription ended: it writes and receives', async () => {
    const server = resources.server(await startServer(listenTcp()));
    const client = resources.transport(await firstValueFrom(connectTcp({ host: '127.0.0.1', port: server.port })));
    const accepted = resources.transport(await server.accept());
    const atServer = read(accepted);
    const atClient = read(client);
    await delay(20); // a tick or two: nothing may close it meanwhile
    expect(client.write(bytes('ping'))).toBe(true);
    await atServer.waitFor(4);
    accepted.write(bytes('pong'));
    await atClient.waitFor(4);
    expect([atServer.text(), atClient.text()]).toEqual(['ping', 'pong']);
  });

  it('completes once the socket has closed (both sides: it is half-open until we close), after the input ended', async () => {
    const server = resources.server(await startServer(listenTcp()));
    const order: string[] = [];
    const completed = new Promise<void>((resolve, reject) => {
      connectTcp({ host: '127.0.0.1', port: server.port }).subscribe({
        next: (transport) => {
          order.push('next');
          resources.transport(transport).input.subscribe({
            complete: () => {
              order.push('input complete');
              transport.close();
            },
          });
        },
        error: reject,
        complete: () => {
          order.push('complete');
          resolve();
        },
      });
    });
    const accepted = resources.transport(await server.accept());
    read(accepted);
    accepted.close();
    await completed;
    expect(order).toEqual(['next', 'input complete', 'complete']);
  });

  it('errors with EADDRINUSE when the port is taken', async () => {
    const server = resources.server(await startServer(listenTcp()));
    await expect(lastValueFrom(listenTcp({ port: server.port }))).rejects.toMatchObject({
      _tag: 'TransportError',
      code: 'EADDRINUSE',
    });
  });
});
