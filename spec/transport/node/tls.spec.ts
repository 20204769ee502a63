import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectTls, listenTls } from '../../../src/transport/node/tls.js';
import { TransportError } from '../../../src/negotiation/errors.js';
import { bytes, openResources, read, startServer } from './loopback.js';

/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost (test-only, not a secret), made once with
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 -subj /CN=localhost
 * -addext subjectAltName=IP:127.0.0.1,DNS:localhost`, so that `npm test` needs no openssl.
 */
const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/tls/${name}`, import.meta.url));
const selfSigned = (): { readonly cert: Buffer; readonly key: Buffer } => ({
  cert: fixture('localhost-cert.pem'),
  key: fixture('localhost-key.pem'),
});

let credentials: { readonly cert: Buffer; readonly key: Buffer };
beforeAll(() => {
  credentials = selfSigned();
});

const resources = openResources();
const rawServers: Server[] = [];
const rawSockets: Socket[] = [];
afterEach(() => {
  resources.closeAll();
  for (const socket of rawSockets.splice(0)) socket.destroy();
  for (const server of rawServers.splice(0)) server.close();
});

/** A TCP server that accepts and never says a word, so a TLS handshake with it never completes. */
const silentServer = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer((socket) => {
      rawSockets.push(socket);
    });
    rawServers.push(server);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      resolve((server.address() as { port: number }).port);
    });
  });

describe('listenTls and connectTls', { timeout: 10_000 }, () => {
  it('carries bytes both ways over a verified self-signed certificate', async () => {
    const server = resources.server(await startServer(listenTls({ ...credentials })));
    const client = resources.transport(
      await firstValueFrom(connectTls({ host: '127.0.0.1', port: server.port, ca: credentials.cert })),
    );
    const accepted = resources.transport(await server.accept());
    const atServer = read(accepted);
    const atClient = read(client);

    client.write(bytes('secret'));
    await atServer.waitFor(6);
    accepted.write(bytes('safe'));
    await atClient.waitFor(4);
    expect([atServer.text(), atClient.text()]).toEqual(['secret', 'safe']);
    expect(client.peer.port).toBe(server.port);

    client.close();
    await atServer.done;
    accepted.close();
    await atClient.done;
  });

  it('verifies the name given as servername', async () => {
    const server = resources.server(await startServer(listenTls({ ...credentials })));
    const client = resources.transport(
      await firstValueFrom(
        connectTls({ host: '127.0.0.1', port: server.port, ca: credentials.cert, servername: 'localhost' }),
      ),
    );
    expect(client.peer.address).toBe('127.0.0.1');
    const wrongName = connectTls({
      host: '127.0.0.1',
      port: server.port,
      ca: credentials.cert,
      servername: 'example.org',
    });
    await expect(lastValueFrom(wrongName)).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('refuses an untrusted certificate with a typed error', async () => {
    const server = resources.server(await startServer(listenTls({ ...credentials })));
    const error: unknown = await lastValueFrom(connectTls({ host: '127.0.0.1', port: server.port })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ _tag: 'TransportError', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('completes once the socket has closed, after the transport input ended', async () => {
    const server = resources.server(await startServer(listenTls({ ...credentials })));
    const order: string[] = [];
    const completed = new Promise<void>((resolve, reject) => {
      connectTls({ host: '127.0.0.1', port: server.port, ca: credentials.cert }).subscribe({
        next: (transport) => {
          order.push('next');
          resources.transport(transport).input.subscribe({ complete: () => order.push('input complete') });
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

  it('destroys the socket when unsubscribed during the handshake', async () => {
    const closed = new Promise<void>((resolve) => {
      const server = createServer((socket) => {
        rawSockets.push(socket);
        socket.once('close', () => {
          resolve();
        });
        subscription.unsubscribe(); // TCP is up, the handshake waits for a server that never answers
      });
      rawServers.push(server);
      let subscription = { unsubscribe: (): void => undefined };
      server.listen({ host: '127.0.0.1', port: 0 }, () => {
        const { port } = server.address() as { port: number };
        subscription = connectTls({ host: '127.0.0.1', port }).subscribe(() => expect.unreachable('no handshake'));
      });
    });
    await closed;
  });

  it('errors with a typed ECONNREFUSED when nothing listens', async () => {
    const server = await startServer(listenTls({ ...credentials }));
    server.stop();
    const error: unknown = await firstValueFrom(connectTls({ host: '127.0.0.1', port: server.port })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('times out with ETIMEDOUT when the handshake never completes', async () => {
    const port = await silentServer();
    const started = Date.now();
    await expect(lastValueFrom(connectTls({ host: '127.0.0.1', port, timeout: 150 }))).rejects.toMatchObject({
      _tag: 'TransportError',
      code: 'ETIMEDOUT',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('gives up with ABORT_ERR when the signal fires during the handshake', async () => {
    const port = await silentServer();
    const controller = new AbortController();
    const attempt = lastValueFrom(connectTls({ host: '127.0.0.1', port, signal: controller.signal }));
    setTimeout(() => {
      controller.abort();
    }, 50);
    await expect(attempt).rejects.toMatchObject({ _tag: 'TransportError', code: 'ABORT_ERR' });
  });
});
