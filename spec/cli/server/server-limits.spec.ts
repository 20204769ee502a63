import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serverLimits, startServer } from '../../../src/cli/server/server.js';
import type { RunningServer } from '../../../src/cli/server/server.js';

const running: RunningServer[] = [];
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of running.splice(0)) server.stop();
});

const client = (port: number): Socket => {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  sockets.push(socket);
  return socket;
};

describe('rxtelnet serve limits', { timeout: 10_000 }, () => {
  it('has finite defaults for every limit', () => {
    for (const value of Object.values(serverLimits)) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(0);
    }
  });

  it('refuses a connection over the per-address cap with a message, and logs it', async () => {
    const log: string[] = [];
    const server = await startServer({ host: '127.0.0.1', port: 0, limits: { maxConnectionsPerAddress: 1 } }, (line) =>
      log.push(line),
    );
    running.push(server);
    client(server.address.port);
    await vi.waitFor(() => {
      expect(log.some((line) => line.endsWith('connected'))).toBe(true);
    });
    const second = client(server.address.port);
    let text = '';
    second.on('data', (bytes: Buffer) => (text += bytes.toString('latin1')));
    await new Promise((resolve) => second.once('close', resolve));
    expect(text).toContain('try again later');
    expect(log.some((line) => line.includes('refused: MaxConnectionsPerAddress'))).toBe(true);
  });

  it('closes a silent connection after idleTimeout and logs why', async () => {
    const log: string[] = [];
    const server = await startServer({ host: '127.0.0.1', port: 0, limits: { idleTimeout: 100 } }, (line) =>
      log.push(line),
    );
    running.push(server);
    const silent = client(server.address.port).resume(); // reads (and so sees the FIN), never writes
    await new Promise((resolve) => silent.once('close', resolve));
    await vi.waitFor(() => {
      expect(log.some((line) => line.includes('disconnected: silent for 0.1 s'))).toBe(true);
    });
  });
});

describe('rxtelnet serve --proxy-protocol', { timeout: 10_000 }, () => {
  it('logs the client the PROXY header names, and refuses (and logs) a connection without one', async () => {
    const log: string[] = [];
    const server = await startServer({ host: '127.0.0.1', port: 0, proxyProtocol: true }, (line) => log.push(line));
    running.push(server);
    client(server.address.port).write('PROXY TCP4 192.0.2.77 127.0.0.1 50000 4000\r\n');
    await vi.waitFor(() => {
      expect(log.some((line) => line.startsWith('[192.0.2.77:50000]') && line.endsWith('connected'))).toBe(true);
    });
    const direct = client(server.address.port);
    direct.write(Uint8Array.of(255, 253, 24));
    await new Promise((resolve) => direct.once('close', resolve));
    expect(log.some((line) => line.includes('refused: ProxyHeader ERR_PROXY_SIGNATURE'))).toBe(true);
  });
});
