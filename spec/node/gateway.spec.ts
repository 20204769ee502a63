/**
 * The WebSocket-to-Telnet gateway, driven with the `ws` client against a plain TCP server on 127.0.0.1: bytes
 * both ways unchanged, the subprotocol, the origin allow-list, the per-address cap, the idle timeout, and closing
 * in both directions.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { listenGateway } from '../../src/node/gateway.js';
import type { ListenGatewayOptions, ListeningGateway } from '../../src/node/gateway.js';
import {
  GMCP_WEBSOCKET_PROTOCOL,
  TELNET_WEBSOCKET_PROTOCOL,
  TERMINAL_WEBSOCKET_PROTOCOL,
} from '../../src/transport/websocket.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A Telnet-ish server that records what it gets and hands each socket to the test. */
const telnetServer = async (greeting: Buffer = Buffer.from([255, 251, 86, ...Buffer.from('Welcome!\r\n')])) => {
  const sockets: Socket[] = [];
  const received: Buffer[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.write(greeting);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  );
  return { port: (server.address() as AddressInfo).port, sockets, received: () => Buffer.concat(received) };
};

const gatewayTo = async (port: number, options: Partial<ListenGatewayOptions> = {}): Promise<ListeningGateway> => {
  const gateway = await listenGateway({ port: 0, to: { host: '127.0.0.1', port }, ...options });
  cleanups.push(() => gateway.close());
  return gateway;
};

const open = (gateway: ListeningGateway, protocols: string[] = [TELNET_WEBSOCKET_PROTOCOL], origin?: string) => {
  const socket = new WebSocket(
    `ws://127.0.0.1:${gateway.address.port}/`,
    protocols,
    origin === undefined ? {} : { origin },
  );
  const messages: Buffer[] = [];
  const texts: string[] = [];
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) messages.push(data);
    else texts.push(data.toString());
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      resolve();
    });
    socket.once('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`));
    });
    socket.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
    });
  });
  cleanups.push(() => {
    socket.terminate();
  });
  return { socket, messages, texts, opened, closed, text: () => Buffer.concat(messages) };
};

const until = async (ready: () => boolean, timeout = 3000): Promise<void> => {
  const start = Date.now();
  while (!ready()) {
    if (Date.now() - start > timeout) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('listenGateway', () => {
  it('bridges binary frames both ways, bytes unchanged, with the telnet.mudstandards.org subprotocol', async () => {
    const telnet = await telnetServer();
    const gateway = await gatewayTo(telnet.port);
    const client = open(gateway, ['other', TELNET_WEBSOCKET_PROTOCOL]);
    await client.opened;
    expect(client.socket.protocol).toBe(TELNET_WEBSOCKET_PROTOCOL);
    await until(() => client.text().length >= 13);
    expect([...client.text().subarray(0, 3)]).toEqual([255, 251, 86]);
    client.socket.send(Buffer.from([255, 253, 86, ...Buffer.from('look\r\n')]));
    await until(() => telnet.received().length >= 9);
    expect([...telnet.received()]).toEqual([255, 253, 86, ...Buffer.from('look\r\n')]);
    expect(gateway.connections()).toBe(1);
  });

  it('serves a client that offers no subprotocol, and refuses one that offers only others', async () => {
    const telnet = await telnetServer();
    const gateway = await gatewayTo(telnet.port);
    const legacy = open(gateway, []);
    await legacy.opened;
    expect(legacy.socket.protocol).toBe('');
    await expect(open(gateway, ['json.mudstandards.org']).opened).rejects.toThrow('HTTP 400');
  });

  it('refuses origins outside the allow-list with a 403', async () => {
    const telnet = await telnetServer();
    const gateway = await gatewayTo(telnet.port, { origins: ['https://play.mud.example'] });
    await expect(open(gateway, undefined, 'https://evil.example').opened).rejects.toThrow('HTTP 403');
    await expect(open(gateway).opened).rejects.toThrow('HTTP 403');
    await open(gateway, undefined, 'https://play.mud.example').opened;
  });

  it('caps the WebSockets of one address (429) and frees the place when one closes', async () => {
    const telnet = await telnetServer();
    const gateway = await gatewayTo(telnet.port, { maxPerAddress: 2 });
    const first = open(gateway);
    await first.opened;
    await open(gateway).opened;
    await expect(open(gateway).opened).rejects.toThrow('HTTP 429');
    first.socket.close(1000, 'bye');
    await first.closed;
    await until(() => gateway.connections() === 1);
    await open(gateway).opened;
  });

  it('closes both ends when idle past the timeout (4000, idle timeout)', async () => {
    const telnet = await telnetServer();
    const gateway = await gatewayTo(telnet.port, { idleTimeout: 200 });
    const client = open(gateway);
    await client.opened;
    expect(await client.closed).toEqual({ code: 4000, reason: 'idle timeout' });
    await until(() => telnet.sockets[0]?.readableEnded === true);
  });

  it('passes the Telnet server closing on as 1000 with a reason, and the browser closing on as a FIN', async () => {
    const telnet = await telnetServer();
    const gateway = await gatewayTo(telnet.port);
    const byServer = open(gateway);
    await byServer.opened;
    await until(() => telnet.sockets.length === 1);
    telnet.sockets[0]?.end();
    expect(await byServer.closed).toEqual({ code: 1000, reason: 'the Telnet server closed the connection' });

    const byBrowser = open(gateway);
    await byBrowser.opened;
    await until(() => telnet.sockets.length === 2);
    const ended = new Promise<void>((resolve) => telnet.sockets[1]?.once('end', resolve));
    byBrowser.socket.close(1000, 'quit');
    await ended;
  });

  it('closes with 1014 (bad gateway) when the Telnet server cannot be reached', async () => {
    const telnet = await telnetServer();
    const gateway = await gatewayTo(telnet.port);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const unreachable = await listenGateway({ port: 0, to: { host: '127.0.0.1', port: 1 } });
    cleanups.push(() => unreachable.close());
    const client = open(unreachable);
    await client.opened;
    const { code, reason } = await client.closed;
    expect(code).toBe(1014);
    expect(reason).toContain('ECONNREFUSED');
    expect(gateway.connections()).toBe(0);
  });

  it('speaks gmcp.mudstandards.org: text in binary frames, GMCP in text frames, the Telnet on its side', async () => {
    const IAC = 255;
    const gmcp = (text: string) => [IAC, 250, 201, ...Buffer.from(text), IAC, 240];
    const telnet = await telnetServer(
      Buffer.from([
        ...[IAC, 251, 201, IAC, 251, 1],
        ...Buffer.from('Welcome!\r\n'),
        ...gmcp('Char.Vitals {"hp":7}'),
        ...Buffer.from('Name: '),
      ]),
    );
    const gateway = await gatewayTo(telnet.port);
    const client = open(gateway, [GMCP_WEBSOCKET_PROTOCOL]);
    await client.opened;
    expect(client.socket.protocol).toBe(GMCP_WEBSOCKET_PROTOCOL);
    await until(() => client.text().toString().includes('Name: ') && client.texts.length > 0);
    expect(client.text().toString()).toBe('Welcome!\r\nName: ');
    expect(client.texts).toEqual(['Char.Vitals {"hp":7}']);
    client.socket.send('Core.Hello {"client":"test"}');
    client.socket.send(Buffer.from('look\r\n'));
    await until(() => telnet.received().includes('look'));
    expect([...telnet.received()]).toEqual([
      ...[IAC, 253, 201, IAC, 253, 1],
      ...gmcp('Core.Hello {"client":"test"}'),
      ...Buffer.from('look\r\n'),
    ]);
  });

  it('speaks terminal.mudstandards.org: the game text only, IAC escaped on the way in', async () => {
    const telnet = await telnetServer(Buffer.from([255, 251, 201, ...Buffer.from('Hello\r\n')]));
    const gateway = await gatewayTo(telnet.port);
    const client = open(gateway, [TERMINAL_WEBSOCKET_PROTOCOL]);
    await client.opened;
    await until(() => client.text().length >= 7);
    expect(client.text().toString()).toBe('Hello\r\n');
    client.socket.send(Buffer.from([0xff, 0x41]));
    await until(() => telnet.received().length >= 6);
    expect([...telnet.received()]).toEqual([255, 254, 201, 255, 255, 0x41]);
    telnet.sockets[0]?.end();
    expect((await client.closed).code).toBe(1000);
  });

  it('serves wss:// with a certificate, and bridges over it', async () => {
    const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
    const telnet = await telnetServer();
    const gateway = await gatewayTo(telnet.port, {
      tls: { cert: fixture('localhost-cert.pem'), key: fixture('localhost-key.pem') },
    });
    const socket = new WebSocket(`wss://localhost:${gateway.address.port}/`, [TELNET_WEBSOCKET_PROTOCOL], {
      ca: fixture('localhost-cert.pem'),
    });
    cleanups.push(() => {
      socket.terminate();
    });
    const first = await new Promise<Buffer>((resolve, reject) => {
      socket.once('message', resolve);
      socket.once('error', reject);
    });
    expect([...first.subarray(0, 3)]).toEqual([255, 251, 86]);
  });

  it('rejects invalid limits with a RangeError', async () => {
    await expect(listenGateway({ port: 0, to: { host: '127.0.0.1', port: 4000 }, idleTimeout: 0 })).rejects.toThrow(
      RangeError,
    );
    await expect(listenGateway({ port: 0, to: { host: '127.0.0.1', port: 4000 }, maxPerAddress: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});
