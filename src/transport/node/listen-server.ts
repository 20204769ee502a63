import type { Server, Socket } from 'node:net';
import { Observable } from 'rxjs';
import type { Address, Transport } from '../types.js';
import { toAddress } from './socket-address.js';
import { socketTransport } from './socket-transport.js';
import { toTransportError } from './transport-error.js';

/**
 * Where to listen, for {@link listenTcp} and {@link listenTls}.
 *
 * @example
 * ```ts
 * import type { ListenOptions } from 'rxtelnet/node';
 * const anyInterface: ListenOptions = { host: '0.0.0.0', port: 4000, backlog: 128 };
 * ```
 */
export interface ListenOptions {
  /** The interface to bind; default `'127.0.0.1'` (loopback only: pass `'0.0.0.0'` or `'::'` to accept others). */
  readonly host?: string;
  /** The port; default 0, which lets the system choose a free one (see {@link Listening}). */
  readonly port?: number;
  /** The length of the queue of pending connections; Node's default when absent. */
  readonly backlog?: number;
  /** TCP_NODELAY on every accepted socket; default `true` (interactive traffic; `false` leaves Nagle on). */
  readonly noDelay?: boolean;
}

/**
 * The server is bound and accepts connections at `address` (with the real port when port 0 was asked).
 *
 * @example
 * ```ts
 * import { filter, firstValueFrom } from 'rxjs';
 * import { listenTcp } from 'rxtelnet/node';
 * import type { ListenEvent, Listening } from 'rxtelnet/node';
 * const isListening = (event: ListenEvent): event is Listening => event._tag === 'Listening';
 * const { address } = await firstValueFrom(listenTcp({ port: 0 }).pipe(filter(isListening)));
 * console.log(address.port); // firstValueFrom unsubscribed: the server has stopped listening again
 * ```
 */
export interface Listening {
  readonly _tag: 'Listening';
  readonly address: Address;
}

/**
 * A peer connected: its connection, ready to hand to a Telnet session.
 *
 * @example
 * ```ts
 * import { filter, map } from 'rxjs';
 * import { listenTcp } from 'rxtelnet/node';
 * import type { Accepted, ListenEvent } from 'rxtelnet/node';
 * const isAccepted = (event: ListenEvent): event is Accepted => event._tag === 'Accepted';
 * const transports = listenTcp({ port: 4000 }).pipe(filter(isAccepted), map((event) => event.transport));
 * transports.subscribe((transport) => console.log('peer', transport.peer.address));
 * ```
 */
export interface Accepted {
  readonly _tag: 'Accepted';
  readonly transport: Transport;
}

/**
 * What a listening server reports, discriminated on `_tag`: one {@link Listening} first, then an
 * {@link Accepted} per incoming connection.
 *
 * @example
 * ```ts
 * import type { ListenEvent } from 'rxtelnet/node';
 * const describe = (event: ListenEvent): string =>
 *   event._tag === 'Listening' ? `listening on port ${event.address.port}` : `peer ${event.transport.peer.address}`;
 * ```
 */
export type ListenEvent = Listening | Accepted;

/**
 * Listens on subscribe; emits {@link Listening} once bound, then {@link Accepted} for each socket that `create`'s
 * server hands to its callback. Unsubscribing closes the server; sockets already emitted stay open, sockets that
 * arrive after it are destroyed.
 */
export const listenServer = (
  create: (onSocket: (socket: Socket) => void) => Server,
  options: ListenOptions,
): Observable<ListenEvent> =>
  new Observable<ListenEvent>((subscriber) => {
    const transportOptions = options.noDelay === undefined ? {} : { noDelay: options.noDelay };
    const server = create((socket) => {
      if (subscriber.closed) socket.destroy();
      else subscriber.next({ _tag: 'Accepted', transport: socketTransport(socket, transportOptions) });
    });
    server.on('error', (error) => {
      subscriber.error(toTransportError(error));
    });
    server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, backlog: options.backlog }, () => {
      subscriber.next({ _tag: 'Listening', address: toAddress(server.address()) });
    });
    return () => {
      server.close();
    };
  });
