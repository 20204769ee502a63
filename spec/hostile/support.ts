/**
 * The hostile-peer suite's tools: a real rxtelnet server on 127.0.0.1 (`listenTelnet`) running a small line
 * application, and raw `node:net` sockets that play the attacker. Everything a case opens is closed after it.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Subscription } from 'rxjs';
import { listenTelnet } from '../../src/node/telnet.js';
import type { TelnetListenOptions } from '../../src/node/telnet.js';
import type { CloseReason, TelnetConnection } from '../../src/session/connection.js';

/** One connection the server accepted: what it decoded and how it ended. */
export interface ServedConnection {
  readonly connection: TelnetConnection;
  /** Each decoded data chunk, with `performance.now()` when it was delivered. */
  readonly received: { readonly at: number; readonly bytes: Uint8Array }[];
  /** Resolves with the close reason and the time `closed$` emitted. */
  readonly closed: Promise<{ readonly reason: CloseReason; readonly at: number }>;
}

export interface HostileServer {
  readonly port: number;
  /** The next connection the server accepts (or one it already accepted and nobody asked for). */
  next(): Promise<ServedConnection>;
  stop(): void;
}

/**
 * Starts a server whose application answers every line (`\n`) it receives with `answer(n)` (n counts from 1 per
 * connection), and calls `onConnection` with each connection first. With `keepData: false` the chunks are not
 * kept in `received` (a flood would otherwise be measured as the server's memory).
 */
export const startServer = (
  options: TelnetListenOptions,
  answer: (n: number) => string,
  onConnection: (connection: TelnetConnection) => void = () => undefined,
  keepData = true,
): Promise<HostileServer> =>
  new Promise((resolve, reject) => {
    const accepted: ServedConnection[] = [];
    const waiting: ((served: ServedConnection) => void)[] = [];
    const connections: TelnetConnection[] = [];
    const subscription: Subscription = listenTelnet({ host: '127.0.0.1', port: 0, ...options }).subscribe({
      next: (event) => {
        if (event._tag === 'Listening') {
          resolve({
            port: event.address.port,
            next: () => {
              const served = accepted.shift();
              return served === undefined ? new Promise((r) => waiting.push(r)) : Promise.resolve(served);
            },
            stop: () => {
              subscription.unsubscribe();
              for (const connection of connections) connection.loseConnection();
            },
          });
          return;
        }
        if (event._tag !== 'Connected') return;
        const { connection } = event;
        connections.push(connection);
        const received: { at: number; bytes: Uint8Array }[] = [];
        let lines = 0;
        connection.data$.subscribe((bytes) => {
          if (keepData) received.push({ at: performance.now(), bytes });
          for (const byte of bytes) if (byte === 0x0a) connection.write(answer(++lines));
        });
        const closed = new Promise<{ reason: CloseReason; at: number }>((resolveClosed) => {
          connection.closed$.subscribe((reason) => {
            resolveClosed({ reason, at: performance.now() });
          });
        });
        onConnection(connection);
        const served: ServedConnection = { connection, received, closed };
        const waiter = waiting.shift();
        if (waiter === undefined) accepted.push(served);
        else waiter(served);
      },
      error: reject,
    });
  });

/** A raw client socket, connected. */
export const rawClient = (port: number, allowHalfOpen = false): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen });
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('error', reject);
  });

/** Ends `socket` and resolves when it is closed (both ways); destroys it after `ms` if it is not by then. */
export const closedWithin = (socket: Socket, ms: number): Promise<void> =>
  new Promise((resolve) => {
    if (socket.destroyed) {
      resolve();
      return;
    }
    socket.end();
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
