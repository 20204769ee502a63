/**
 * rxtelnet behind a real HAProxy (Debian's `haproxy`, mode tcp) that sends the PROXY header with `send-proxy`
 * (v1) and `send-proxy-v2`: the server reports the client's address as HAProxy saw it (a client bound to
 * 127.0.0.7), and Telnet runs through the balancer; a client that skips the balancer is refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import type { Subscription } from 'rxjs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { listenTelnet } from '../../src/node/telnet.js';
import type { TelnetServerEvent } from '../../src/node/telnet.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import type { TelnetConnection } from '../../src/session/connection.js';
import { socketTransport } from '../../src/transport/node/socket-transport.js';
import type { Refused } from '../../src/transport/node/listen-server.js';
import { freePort, PeerProcess, stopAllPeers, waitForListener } from './harness.js';

const haproxy = '/usr/sbin/haproxy';
const clientAddress = '127.0.0.7';
const folder = mkdtempSync(join(tmpdir(), 'rxtelnet-haproxy-'));
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await stopAllPeers();
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

interface Server {
  readonly port: number;
  readonly connections: TelnetConnection[];
  readonly refused: Refused[];
}

/** An rxtelnet server that requires the PROXY header, performs ECHO, and answers every line it gets. */
const startServer = (): Promise<Server> =>
  new Promise((resolve, reject) => {
    const connections: TelnetConnection[] = [];
    const refused: Refused[] = [];
    const subscription: Subscription = listenTelnet({
      proxyProtocol: true,
      policy: policyOf({ local: [TelnetOption.ECHO] }),
    }).subscribe({
      next: (event: TelnetServerEvent) => {
        if (event._tag === 'Listening') resolve({ port: event.address.port, connections, refused });
        else if (event._tag === 'Refused') refused.push(event);
        else {
          const { connection } = event;
          connections.push(connection);
          connection.data$.subscribe((bytes) => {
            connection.write(`you said: ${new TextDecoder().decode(bytes).trim()}\r\n`);
          });
          cleanups.push(() => {
            connection.loseConnection();
          });
        }
      },
      error: reject,
    });
    cleanups.push(() => {
      subscription.unsubscribe();
    });
  });

/** HAProxy in the foreground, a tcp frontend on a free port relaying to `backendPort` with `sendProxy`. */
const startHaproxy = async (
  backendPort: number,
  sendProxy: 'send-proxy' | 'send-proxy-v2',
  serverOptions = '',
): Promise<number> => {
  const frontendPort = await freePort();
  const config = join(folder, `${sendProxy}.cfg`);
  writeFileSync(
    config,
    [
      'defaults',
      '  mode tcp',
      '  timeout connect 5s',
      '  timeout client 20s',
      '  timeout server 20s',
      'frontend telnet',
      `  bind 127.0.0.1:${frontendPort}`,
      '  default_backend rxtelnet',
      'backend rxtelnet',
      `  server s1 127.0.0.1:${backendPort} ${sendProxy} ${serverOptions}`,
      '',
    ].join('\n'),
  );
  PeerProcess.spawn(haproxy, { args: ['-f', config, '-db'], timeLimitMs: 25_000 });
  await waitForListener(frontendPort, 10_000);
  return frontendPort;
};

const socketFrom = (port: number, localAddress: string): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress, allowHalfOpen: true });
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('error', reject);
    cleanups.push(() => socket.destroy());
  });

describe.each(['send-proxy', 'send-proxy-v2'] as const)('HAProxy %s in front of listenTelnet', (sendProxy) => {
  it('reports the client address HAProxy saw, and Telnet works both ways through it', async () => {
    const server = await startServer();
    const frontendPort = await startHaproxy(server.port, sendProxy);
    const socket = await socketFrom(frontendPort, clientAddress);
    const client = createConnection(socketTransport(socket));
    cleanups.push(() => {
      client.loseConnection();
    });
    const answers: string[] = [];
    client.data$.subscribe((bytes) => answers.push(new TextDecoder().decode(bytes)));

    const echo = await firstValueFrom(client.do(TelnetOption.ECHO));
    expect(echo).toMatchObject({ option: TelnetOption.ECHO, enabled: true });
    expect(server.connections).toHaveLength(1);
    const connection = server.connections[0]!;
    expect(connection.getPeer()).toEqual({ family: 'IPv4', address: clientAddress, port: socket.localPort });
    expect(connection.getHost()).toEqual({ family: 'IPv4', address: '127.0.0.1', port: frontendPort });

    client.write('hello\n');
    await vi.waitFor(
      () => {
        expect(answers.join('')).toContain('you said: hello\n');
      },
      { timeout: 5_000 },
    );
    expect(server.refused).toEqual([]);
  });

  it('accepts HAProxy health checks with the header (v2: LOCAL, no address) and keeps their socket address', async () => {
    const server = await startServer();
    await startHaproxy(server.port, sendProxy, 'check check-send-proxy inter 100ms');
    await vi.waitFor(
      () => {
        expect(server.connections.length).toBeGreaterThanOrEqual(2);
      },
      { timeout: 5_000 },
    );
    // A check closes at once: it may be gone (its address with it, '') before Node asks the socket for it.
    for (const connection of server.connections) expect(['127.0.0.1', '']).toContain(connection.getPeer().address);
    expect(server.refused).toEqual([]);
  });

  it('refuses a client that connects past HAProxy, without a header', async () => {
    const server = await startServer();
    await startHaproxy(server.port, sendProxy);
    const socket = await socketFrom(server.port, clientAddress);
    socket.on('error', () => undefined);
    const closed = new Promise((resolve) => socket.once('end', resolve)); // the server's FIN
    socket.write(Uint8Array.of(255, 253, TelnetOption.ECHO));
    await closed;
    expect(server.connections).toEqual([]);
    expect(server.refused).toMatchObject([
      { reason: 'ProxyHeader', code: 'ERR_PROXY_SIGNATURE', peer: { address: clientAddress } },
    ]);
  });
});
