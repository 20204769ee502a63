/**
 * The proxy in process, over real loopback sockets: what a client reads when the server is down or goes away,
 * and the log's password mask.
 */
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Command, TelnetOption } from '../../src/index.js';
import { startProxy } from '../../src/cli/proxy.js';
import type { RunningProxy } from '../../src/cli/proxy.js';
import { MASKED_DATA } from '../../src/cli/hidden-input.js';
import { freePort } from '../interop/harness.js';

const { IAC, WILL, WONT, DO, DONT } = { IAC: 255, WILL: 251, WONT: 252, DO: 253, DONT: 254 };

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const proxyTo = async (port: number, logPasswords = false): Promise<{ proxy: RunningProxy; log: string[] }> => {
  const log: string[] = [];
  const proxy = await startProxy({ listenPort: 0, host: '127.0.0.1', port, logPasswords }, (line) => log.push(line));
  cleanups.push(proxy.stop);
  return { proxy, log };
};

/** A loopback server running `onClient` for each connection. */
const upstream = async (onClient: (socket: Socket) => void): Promise<number> => {
  const server: Server = createServer(onClient);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};

/** A raw client of the proxy: what it received, and whether the proxy closed it. */
const client = (proxy: RunningProxy) => {
  const socket = createConnection({ host: '127.0.0.1', port: proxy.address.port });
  cleanups.push(() => socket.destroy());
  const received: Buffer[] = [];
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      resolve();
    }),
  );
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', () => undefined);
  return { socket, text: () => Buffer.concat(received).toString('latin1'), closed };
};

describe('rxtelnet proxy when the server is down', () => {
  it('tells the client that the server refused, then closes it', async () => {
    const port = await freePort();
    const { proxy, log } = await proxyTo(port);
    const peer = client(proxy);
    await peer.closed;
    expect(peer.text()).toBe(`\r\nrxtelnet proxy: upstream 127.0.0.1:${port} is down (ECONNREFUSED)\r\n`);
    expect(log).toContain(`[1] upstream 127.0.0.1:${port} is down (ECONNREFUSED)`);
  });

  it('tells the client when the server drops the connection mid-session, after everything it sent', async () => {
    const port = await upstream((socket) => {
      socket.write('Welcome!\r\n> ');
      socket.on('data', () => socket.resetAndDestroy());
    });
    const { proxy, log } = await proxyTo(port);
    const peer = client(proxy);
    await vi.waitFor(() => {
      expect(peer.text()).toBe('Welcome!\r\n> ');
    });
    peer.socket.write('look\r\n');
    await peer.closed;
    expect(peer.text()).toBe(
      `Welcome!\r\n> \r\nrxtelnet proxy: upstream 127.0.0.1:${port} dropped the connection (ECONNRESET)\r\n`,
    );
    expect(log).toContain(`[1] upstream 127.0.0.1:${port} dropped the connection (ECONNRESET)`);
    await vi.waitFor(() => {
      expect(log).toContain('[1] closed');
    });
  });

  it('tells the client when the server closes, and says nothing when the client leaves first', async () => {
    const closing = await upstream((socket) => socket.end('Bye.\r\n'));
    const first = await proxyTo(closing);
    const peer = client(first.proxy);
    await peer.closed;
    expect(peer.text()).toBe(`Bye.\r\n\r\nrxtelnet proxy: upstream 127.0.0.1:${closing} closed the connection\r\n`);

    const waiting = await upstream((socket) => {
      socket.on('end', () => socket.end());
    });
    const second = await proxyTo(waiting);
    const leaving = client(second.proxy);
    leaving.socket.on('connect', () => leaving.socket.end());
    await vi.waitFor(() => {
      expect(second.log).toContain('[1] closed');
    });
    expect(second.log.some((line) => line.includes('upstream'))).toBe(false);
  });
});

describe('rxtelnet proxy log while the server echoes', () => {
  /** A login: a name, then a password typed while the server said WILL ECHO, then a command after WONT ECHO. */
  const login = async (logPasswords: boolean): Promise<string[]> => {
    const port = await upstream((socket) => {
      let step = 0;
      socket.write('Name: ');
      socket.on('data', (chunk: Buffer) => {
        const text = chunk.toString('latin1');
        if (step === 0 && text.includes('ann\r\n')) {
          step = 1;
          socket.write(Buffer.from([...Buffer.from('Password: '), IAC, WILL, TelnetOption.ECHO, IAC, Command.GA]));
        } else if (step === 1 && text.includes('hunter2\r\n')) {
          step = 2;
          socket.write(Buffer.from([IAC, WONT, TelnetOption.ECHO, ...Buffer.from('\r\nHello ann\r\n')]));
        } else if (step === 2 && text.includes('look\r\n')) {
          socket.end('Bye.\r\n');
        }
      });
    });
    const { proxy, log } = await proxyTo(port, logPasswords);
    const peer = client(proxy);
    const until = async (text: string): Promise<void> =>
      vi.waitFor(() => {
        expect(peer.text()).toContain(text);
      });
    await until('Name: ');
    peer.socket.write('ann\r\n');
    await until('Password: ');
    peer.socket.write(Buffer.from([IAC, DO, TelnetOption.ECHO]));
    peer.socket.write('hunter2\r\n');
    await until('Hello ann');
    peer.socket.write(Buffer.from([IAC, DONT, TelnetOption.ECHO]));
    peer.socket.write('look\r\n');
    await peer.closed;
    await vi.waitFor(() => {
      expect(log).toContain('[1] closed');
    });
    return log;
  };

  it('masks what the client types between WILL ECHO and WONT ECHO', async () => {
    const log = await login(false);
    expect(log).toContain('[1] C->S DATA 5 bytes "ann\\r\\n"');
    expect(log).toContain('[1] S->C WILL ECHO');
    expect(log).toContain('[1] C->S DO ECHO');
    expect(log).toContain(`[1] C->S ${MASKED_DATA}`);
    expect(log.join('\n')).not.toContain('hunter2');
    expect(log).toContain('[1] C->S DATA 6 bytes "look\\r\\n"');
  });

  it('logs the password with --log-passwords', async () => {
    const log = await login(true);
    expect(log).toContain('[1] C->S DATA 9 bytes "hunter2\\r\\n"');
    expect(log.join('\n')).not.toContain(MASKED_DATA);
  });
});
