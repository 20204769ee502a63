/**
 * `proxyProtocol` in listenTcp / listenTls / listenTelnet on loopback: the PROXY header read before the
 * connection is handed on, the client's address reported, and every bad, slow or missing header refused.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTlsSocket } from 'node:tls';
import type { Observable } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listenTelnet } from '../../../src/node/telnet.js';
import { TelnetOption } from '../../../src/protocol/options.js';
import { listenTcp } from '../../../src/transport/node/tcp.js';
import { listenTls } from '../../../src/transport/node/tls.js';
import type { ListenEvent, Refused } from '../../../src/transport/node/listen-server.js';
import type { Transport } from '../../../src/transport/types.js';
import { runServer } from '../../helpers/listen-events.js';
import type { RunningServer } from '../../helpers/listen-events.js';
import { proxyV1, proxyV2, rawV2 } from '../../helpers/proxy-header.js';
import { bytes, read } from './loopback.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Runs `events`, keeping each accepted transport (closed after the test). */
const run = (events: Observable<ListenEvent>): Promise<RunningServer<Transport>> =>
  runServer(
    events,
    (event) => {
      if (event._tag !== 'Connected') return undefined;
      cleanups.push(() => {
        event.transport.close();
      });
      return event.transport;
    },
    cleanups,
  );

const client = (port: number, localAddress = '127.0.0.1'): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('error', reject);
    cleanups.push(() => socket.destroy());
  });

const closed = (socket: Socket): Promise<void> =>
  new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else
      socket.once('close', () => {
        resolve();
      });
  });

const received = (socket: Socket): { text: () => string } => {
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  return { text: () => text };
};

const source = { address: '203.0.113.9', port: 40123 };
const destination = { address: '198.51.100.1', port: 23 };

describe('listen with proxyProtocol: good headers', { timeout: 5_000 }, () => {
  it('reports the v1 header as peer and host, and the bytes after it are the first Telnet input', async () => {
    const server = await run(listenTcp({ proxyProtocol: true }));
    const socket = await client(server.port);
    const answers = received(socket);
    socket.write(Buffer.concat([proxyV1(source, destination), Buffer.from([255, 253, 24]), bytes('look\r\n')]));
    await server.until(() => server.accepted.length === 1);
    const transport = server.accepted[0]!;
    expect(transport.peer).toEqual({ family: 'IPv4', ...source });
    expect(transport.host).toEqual({ family: 'IPv4', ...destination });
    const input = read(transport);
    await input.waitFor(9);
    expect([...input.bytes()]).toEqual([255, 253, 24, ...bytes('look\r\n')]);
    transport.write(bytes('ok'));
    await vi.waitFor(() => {
      expect(answers.text()).toBe('ok');
    });
  });

  it('reads a v2 IPv6 header that arrives a byte at a time, then data sent later', async () => {
    const server = await run(listenTcp({ proxyProtocol: true }));
    const socket = await client(server.port);
    const header = proxyV2({ address: '2001:db8:0:0:0:0:0:7', port: 5 }, { address: '2001:db8:0:0:0:0:0:1', port: 23 });
    for (const byte of header) {
      socket.write(Uint8Array.of(byte));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await server.until(() => server.accepted.length === 1);
    expect(server.accepted[0]!.peer).toEqual({ family: 'IPv6', address: '2001:db8::7', port: 5 });
    const input = read(server.accepted[0]!);
    socket.write('after');
    await input.waitFor(5);
    expect(input.text()).toBe('after');
  });

  it('keeps the socket own addresses for v1 UNKNOWN and v2 LOCAL', async () => {
    const server = await run(listenTcp({ proxyProtocol: true }));
    const first = await client(server.port);
    first.write('PROXY UNKNOWN\r\n');
    const second = await client(server.port);
    second.write(rawV2(0x20, 0x00, []));
    await server.until(() => server.accepted.length === 2);
    const ports = server.accepted.map((transport) => transport.peer.port).sort();
    expect(ports).toEqual([first.localPort, second.localPort].sort());
    expect(server.accepted.every((transport) => transport.peer.address === '127.0.0.1')).toBe(true);
  });

  it('keeps header, data and FIN sent at once: the input gets the data, then completes', async () => {
    const server = await run(listenTcp({ proxyProtocol: true }));
    const socket = await client(server.port);
    socket.end(Buffer.concat([proxyV1(source, destination), bytes('bye')]));
    await server.until(() => server.accepted.length === 1);
    const input = read(server.accepted[0]!);
    await input.done;
    expect(input.text()).toBe('bye');
  });

  it('reads the header before the TLS handshake', async () => {
    const cert = readFileSync(new URL('../../fixtures/tls/localhost-cert.pem', import.meta.url));
    const key = readFileSync(new URL('../../fixtures/tls/localhost-key.pem', import.meta.url));
    const server = await run(listenTls({ proxyProtocol: true, cert, key }));
    const socket = await client(server.port);
    socket.write(proxyV2(source, destination));
    const secure = connectTlsSocket({ socket, ca: cert, servername: 'localhost' });
    cleanups.push(() => secure.destroy());
    secure.write('secret');
    await server.until(() => server.accepted.length === 1);
    expect(server.accepted[0]!.peer).toEqual({ family: 'IPv4', ...source });
    const input = read(server.accepted[0]!);
    await input.waitFor(6);
    expect(input.text()).toBe('secret');
  });

  it('gives listenTelnet connections the client address, and Telnet works after the header', async () => {
    const connections = listenTelnet({ proxyProtocol: true });
    const events: string[] = [];
    let port = 0;
    const ready = new Promise<void>((resolve) => {
      const subscription = connections.subscribe((event) => {
        if (event._tag === 'Listening') {
          port = event.address.port;
          resolve();
        } else if (event._tag === 'Connected') {
          events.push(`${event.connection.getPeer().address}:${event.connection.getPeer().port}`);
          event.connection.data$.subscribe((data) => events.push(new TextDecoder().decode(data)));
          event.connection.will(TelnetOption.ECHO).subscribe({ error: () => undefined });
          cleanups.push(() => {
            event.connection.loseConnection();
          });
        }
      });
      cleanups.push(() => {
        subscription.unsubscribe();
      });
    });
    await ready;
    const socket = await client(port);
    const answers = received(socket);
    socket.write(Buffer.concat([proxyV1(source, destination), bytes('hi')]));
    await vi.waitFor(() => {
      expect(events).toEqual(['203.0.113.9:40123', 'hi']);
    });
    await vi.waitFor(() => {
      expect(answers.text()).toBe('\xff\xfb\x01');
    }); // WILL ECHO
  });
});

describe('listen with proxyProtocol: refusals', { timeout: 5_000 }, () => {
  const refusedWith = async (send: (socket: Socket) => void, options = {}): Promise<Refused> => {
    const server = await run(listenTcp({ proxyProtocol: true, ...options }));
    const socket = await client(server.port);
    socket.on('error', () => undefined);
    const gone = closed(socket);
    send(socket);
    await server.until(() => server.refused.length === 1);
    await gone;
    expect(server.accepted).toEqual([]);
    return server.refused[0]!;
  };
  const refusal = (code: string) => ({
    _tag: 'Refused',
    reason: 'ProxyHeader',
    code,
    peer: { address: '127.0.0.1' },
  });

  it('refuses a Telnet client that sends no header (wrong signature) at its first byte', async () => {
    expect(await refusedWith((socket) => socket.write(Uint8Array.of(255, 251, 24)))).toMatchObject(
      refusal('ERR_PROXY_SIGNATURE'),
    );
  });
  it('refuses a peer that closes mid-header (truncated)', async () => {
    expect(await refusedWith((socket) => socket.end('PROXY TCP4 1.2.3.4'))).toMatchObject(
      refusal('ERR_PROXY_TRUNCATED'),
    );
  });
  it('refuses an oversized v2 header as soon as its length is read', async () => {
    const header = rawV2(0x21, 0x11, Array<number>(300).fill(0)).subarray(0, 16);
    expect(await refusedWith((socket) => socket.write(header), { maxProxyHeaderBytes: 256 })).toMatchObject(
      refusal('ERR_PROXY_TOO_LONG'),
    );
  });
  it('refuses an oversized v1 line', async () => {
    expect(await refusedWith((socket) => socket.write(`PROXY TCP4 ${'9'.repeat(200)}`))).toMatchObject(
      refusal('ERR_PROXY_TOO_LONG'),
    );
  });
  it('refuses v2 with an unknown address family', async () => {
    expect(await refusedWith((socket) => socket.write(rawV2(0x21, 0x51, Array<number>(12).fill(1))))).toMatchObject(
      refusal('ERR_PROXY_V2_FAMILY'),
    );
  });
  it('refuses v1 with a port above 65535 or a bad IP', async () => {
    expect(await refusedWith((socket) => socket.write('PROXY TCP4 1.2.3.4 5.6.7.8 70000 23\r\n'))).toMatchObject(
      refusal('ERR_PROXY_V1_PORT'),
    );
    expect(await refusedWith((socket) => socket.write('PROXY TCP4 1.2.3.400 5.6.7.8 7 23\r\n'))).toMatchObject(
      refusal('ERR_PROXY_V1_ADDRESS'),
    );
  });

  it('refuses a slow peer after proxyHeaderTimeout (5 s by default)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const server = await run(listenTcp({ proxyProtocol: true }));
    const socket = await client(server.port);
    socket.write('PROXY TCP4 ');
    await vi.waitFor(
      () => {
        expect(vi.getTimerCount()).toBe(1);
      },
      { interval: 5 },
    );
    vi.advanceTimersByTime(4_900); // plus the few ms the wait above advanced
    expect(server.refused).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(server.refused).toMatchObject([refusal('ERR_PROXY_TIMEOUT')]);
    await closed(socket);
    expect(server.accepted).toEqual([]);
  });

  it('waits for ever with proxyHeaderTimeout Infinity (no timer)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const server = await run(listenTcp({ proxyProtocol: true, proxyHeaderTimeout: Infinity }));
    const socket = await client(server.port);
    socket.write('PROXY TCP4 ');
    const before = vi.getTimerCount();
    socket.write('1.2.3.4 5.6.7.8 1 2\r\n');
    await server.until(() => server.accepted.length === 1);
    expect(before).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects bad bounds at once', () => {
    for (const proxyHeaderTimeout of [0, -1, Number.NaN]) {
      expect(() => listenTcp({ proxyProtocol: true, proxyHeaderTimeout })).toThrow(RangeError);
    }
    for (const maxProxyHeaderBytes of [0, 231, 1.5, Number.NaN]) {
      expect(() => listenTcp({ proxyProtocol: true, maxProxyHeaderBytes })).toThrow(RangeError);
    }
    expect(() => listenTcp({ proxyHeaderTimeout: 0 })).toThrow(RangeError);
    expect(() =>
      listenTcp({ proxyProtocol: true, proxyHeaderTimeout: Infinity, maxProxyHeaderBytes: 232 }),
    ).not.toThrow();
  });

  it('destroys the sockets still reading their header when the subscription ends', async () => {
    const server = await run(listenTcp({ proxyProtocol: true }));
    const socket = await client(server.port);
    socket.write('PROXY ');
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.stop();
    await closed(socket);
    expect(server.accepted).toEqual([]);
  });
});

describe('listen with proxyProtocol: caps', { timeout: 5_000 }, () => {
  it('counts maxConnectionsPerAddress under the client address from the header', async () => {
    const server = await run(
      listenTcp({ proxyProtocol: true, maxConnectionsPerAddress: 1, refusalMessage: 'busy\r\n' }),
    );
    const first = await client(server.port);
    first.write(proxyV1(source, destination));
    await server.until(() => server.accepted.length === 1);
    const second = await client(server.port);
    const told = received(second);
    second.write(proxyV1({ ...source, port: 40124 }, destination));
    await server.until(() => server.refused.length === 1);
    expect(server.refused[0]).toEqual({
      _tag: 'Refused',
      reason: 'MaxConnectionsPerAddress',
      peer: { family: 'IPv4', address: source.address, port: 40124 },
    });
    await closed(second);
    expect(told.text()).toBe('busy\r\n');
    const third = await client(server.port);
    third.write(proxyV1({ address: '203.0.113.10', port: 1 }, destination));
    await server.until(() => server.accepted.length === 2);
  });

  it('counts maxConnections from the accept, header or not', async () => {
    const server = await run(listenTcp({ proxyProtocol: true, maxConnections: 1 }));
    const first = await client(server.port);
    first.write('PROX');
    const second = await client(server.port);
    second.on('error', () => undefined);
    await server.until(() => server.refused.length === 1);
    expect(server.refused[0]).toMatchObject({ reason: 'MaxConnections' });
    first.write('Y TCP4 1.2.3.4 5.6.7.8 1 2\r\n');
    await server.until(() => server.accepted.length === 1);
  });
});
