import type { Server, Socket } from 'node:net';
import { Observable } from 'rxjs';
import type { Address, Transport } from '../types.js';
import { remoteAddressOf, toAddress } from './socket-address.js';
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
  /**
   * The most connections open at once (counted from the TCP accept to the socket's close); the rest are
   * refused at once ({@link Refused}). Default `Infinity`: set one on a server that faces the internet.
   */
  readonly maxConnections?: number;
  /** The most connections open at once from one IP address; the rest are refused. Default `Infinity`. */
  readonly maxConnectionsPerAddress?: number;
  /**
   * Sent to a refused peer before its socket is closed (plain TCP only: a TLS peer is refused before its
   * handshake, so it gets nothing). Default: nothing.
   */
  readonly refusalMessage?: string | Uint8Array;
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
 * import type { TransportConnected, ListenEvent } from 'rxtelnet/node';
 * const isConnected = (event: ListenEvent): event is TransportConnected => event._tag === 'Connected';
 * const transports = listenTcp({ port: 4000 }).pipe(filter(isConnected), map((event) => event.transport));
 * transports.subscribe((transport) => console.log('peer', transport.peer.address));
 * ```
 */
export interface TransportConnected {
  readonly _tag: 'Connected';
  readonly transport: Transport;
}

/**
 * Which limit refused a connection: {@link ListenOptions.maxConnections} or
 * {@link ListenOptions.maxConnectionsPerAddress}.
 *
 * @example
 * ```ts
 * import type { RefusalReason } from 'rxtelnet/node';
 * const reason: RefusalReason = 'MaxConnectionsPerAddress';
 * ```
 */
export type RefusalReason = 'MaxConnections' | 'MaxConnectionsPerAddress';

/**
 * A peer was refused because a connection cap was reached: it got the `refusalMessage` (if any) and its socket
 * was closed at once; it never became a transport.
 *
 * @example
 * ```ts
 * import { listenTcp } from 'rxtelnet/node';
 * listenTcp({ port: 4000, maxConnectionsPerAddress: 8 }).subscribe((event) => {
 *   if (event._tag === 'Refused') console.warn(`refused ${event.peer.address}: ${event.reason}`);
 * });
 * ```
 */
export interface Refused {
  readonly _tag: 'Refused';
  readonly peer: Address;
  readonly reason: RefusalReason;
}

/**
 * What a listening server reports, discriminated on `_tag`: one {@link Listening} first, then an
 * {@link TransportConnected} per incoming connection, and a {@link Refused} per connection over a cap.
 *
 * @example
 * ```ts
 * import type { ListenEvent } from 'rxtelnet/node';
 * const describe = (event: ListenEvent): string =>
 *   event._tag === 'Listening'
 *     ? `listening on port ${event.address.port}`
 *     : event._tag === 'Connected'
 *       ? `peer ${event.transport.peer.address}`
 *       : `refused ${event.peer.address} (${event.reason})`;
 * ```
 */
export type ListenEvent = Listening | TransportConnected | Refused;

const checkCap = (name: string, value: number | undefined): number => {
  const cap = value ?? Infinity;
  if (cap !== Infinity && !(Number.isInteger(cap) && cap > 0)) {
    throw new RangeError(`${name} must be a whole number above 0 (or Infinity), got ${cap}`);
  }
  return cap;
};

/** The address a peer is counted under: an IPv4 address mapped into IPv6 counts as the IPv4 one. */
const addressKey = (socket: Socket): string => (socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/i, '');

const ignore = (): undefined => undefined;

/**
 * Listens on subscribe; emits {@link Listening} once bound, then {@link TransportConnected} for each socket that `create`'s
 * server hands to its callback. Unsubscribing closes the server; sockets already emitted stay open, sockets that
 * arrive after it are destroyed.
 *
 * The caps count every TCP connection from its accept (before a TLS handshake) to its close. One over a cap is
 * refused there: the refusal message, a FIN, and the socket destroyed once that is written (or at once for TLS).
 * Invalid caps are a `RangeError` now, not on subscribe.
 */
export const listenServer = (
  create: (onSocket: (socket: Socket) => void) => Server,
  options: ListenOptions,
  plain = true,
): Observable<ListenEvent> => {
  const maxConnections = checkCap('maxConnections', options.maxConnections);
  const maxPerAddress = checkCap('maxConnectionsPerAddress', options.maxConnectionsPerAddress);
  const message =
    options.refusalMessage === undefined || !plain
      ? undefined
      : typeof options.refusalMessage === 'string'
        ? new TextEncoder().encode(options.refusalMessage)
        : options.refusalMessage;
  const transportOptions = options.noDelay === undefined ? {} : { noDelay: options.noDelay };
  return new Observable<ListenEvent>((subscriber) => {
    let open = 0;
    const perAddress = new Map<string, number>();
    const refused = new WeakSet<Socket>();
    const refuse = (socket: Socket, reason: RefusalReason): void => {
      refused.add(socket);
      socket.on('error', ignore);
      if (message === undefined) socket.destroy();
      else {
        socket.end(message, () => socket.destroy());
        socket.resume(); // read and drop what the peer sends meanwhile
      }
      subscriber.next({ _tag: 'Refused', peer: remoteAddressOf(socket), reason });
    };
    const count = (socket: Socket): void => {
      const key = addressKey(socket);
      if (open >= maxConnections) {
        refuse(socket, 'MaxConnections');
        return;
      }
      const fromThere = perAddress.get(key) ?? 0;
      if (fromThere >= maxPerAddress) {
        refuse(socket, 'MaxConnectionsPerAddress');
        return;
      }
      open++;
      perAddress.set(key, fromThere + 1);
      socket.once('close', () => {
        open--;
        const left = (perAddress.get(key) ?? 1) - 1;
        if (left === 0) perAddress.delete(key);
        else perAddress.set(key, left);
      });
    };
    const server = create((socket) => {
      if (subscriber.closed) socket.destroy();
      else if (!refused.has(socket) && !socket.destroyed) {
        subscriber.next({ _tag: 'Connected', transport: socketTransport(socket, transportOptions) });
      }
    });
    if (maxConnections !== Infinity || maxPerAddress !== Infinity) server.prependListener('connection', count);
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
};
