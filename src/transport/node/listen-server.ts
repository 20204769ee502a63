import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { Observable } from 'rxjs';
import type { ProxiedAddresses, ProxyHeaderErrorCode } from '../proxy-header.js';
import type { Address, Transport } from '../types.js';
import { checkProxyLimits, connectionKey, readProxyHeader } from './proxy-header-reader.js';
import type { ProxyHeaderLimits } from './proxy-header-reader.js';
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
  /**
   * Require a PROXY protocol header (v1 or v2, as HAProxy's `send-proxy` and `send-proxy-v2` write it) at the
   * start of every connection, before Telnet (and before the TLS handshake). The transport's `peer` and `host`
   * are then the client's address and the address it reached as the balancer saw them (a v1 `UNKNOWN` or v2
   * `LOCAL` header keeps the socket's own). A connection without a valid header within the bounds is destroyed
   * and reported as {@link Refused} with reason `'ProxyHeader'`: the application never sees it. Default `false`.
   * Enable it only behind a balancer that sends the header, and let only the balancer reach the port: anyone
   * who can connect can claim any address.
   */
  readonly proxyProtocol?: boolean;
  /** With `proxyProtocol`: how long a peer has to send its whole header, in ms. Default 5 000; `Infinity` for none. */
  readonly proxyHeaderTimeout?: number;
  /**
   * With `proxyProtocol`: the longest header accepted, in bytes, v2 TLVs included (a v1 line is at most 107
   * bytes anyway). Default 4 096; at least 232 (a v2 header with two unix paths).
   */
  readonly maxProxyHeaderBytes?: number;
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
 * Why a connection was refused: over {@link ListenOptions.maxConnections} or
 * {@link ListenOptions.maxConnectionsPerAddress}, or (with {@link ListenOptions.proxyProtocol}) without a valid
 * PROXY header (`'ProxyHeader'`, its `code` in {@link Refused}).
 *
 * @example
 * ```ts
 * import type { RefusalReason } from 'rxtelnet/node';
 * const reason: RefusalReason = 'MaxConnectionsPerAddress';
 * ```
 */
export type RefusalReason = 'MaxConnections' | 'MaxConnectionsPerAddress' | 'ProxyHeader';

/**
 * A peer was refused because a connection cap was reached (it got the `refusalMessage`, if any, and its socket
 * was closed at once) or because its PROXY header was missing or bad (its socket was destroyed); it never became
 * a transport.
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
  /** The socket's peer (the balancer, for a bad PROXY header), or the client the PROXY header named. */
  readonly peer: Address;
  readonly reason: RefusalReason;
  /** For reason `'ProxyHeader'`: what was wrong with the header (`'ERR_PROXY_TIMEOUT'`, `'ERR_PROXY_SIGNATURE'`...). */
  readonly code?: ProxyHeaderErrorCode;
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
const addressKey = (address: string | undefined): string => (address ?? '').replace(/^::ffff:(?=\d+\.)/i, '');

const ignore = (): undefined => undefined;

/**
 * Listens on subscribe; emits {@link Listening} once bound, then {@link TransportConnected} for each socket that `create`'s
 * server hands to its callback. Unsubscribing closes the server; sockets already emitted stay open, sockets that
 * arrive after it are destroyed.
 *
 * The caps count every TCP connection from its accept (before a TLS handshake) to its close. One over a cap is
 * refused there: the refusal message, a FIN, and the socket destroyed once that is written (or at once for TLS).
 * Invalid caps are a `RangeError` now, not on subscribe.
 *
 * With `proxyProtocol`, a plain TCP server accepts the connections: the total cap counts them from the accept,
 * each reads its PROXY header (bounded in time and size), then the per-address cap counts it under the client's
 * address from the header, and the socket (its next bytes put back) goes to `create`'s server as if it had
 * accepted it: TLS handshakes after the header. Sockets still reading their header when the subscription ends
 * are destroyed.
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
  const proxyLimits = checkProxyLimits(options);
  return new Observable<ListenEvent>((subscriber) => {
    let open = 0;
    const perAddress = new Map<string, number>();
    const refused = new WeakSet<Socket>();
    const proxied = new Map<string, ProxiedAddresses>();
    const readingHeader = new Set<Socket>();
    const refuse = (socket: Socket, reason: RefusalReason, peer = remoteAddressOf(socket)): void => {
      refused.add(socket);
      socket.on('error', ignore);
      if (message === undefined) socket.destroy();
      else {
        socket.end(message, () => socket.destroy());
        socket.resume(); // read and drop what the peer sends meanwhile
      }
      subscriber.next({ _tag: 'Refused', peer, reason });
    };
    /** Counts `socket` under the total cap (when `total`) and the per-address one (under `key`), or refuses it. */
    const admit = (socket: Socket, total: boolean, key: string | undefined, peer?: Address): boolean => {
      if (total && open >= maxConnections) {
        refuse(socket, 'MaxConnections');
        return false;
      }
      const fromThere = key === undefined ? 0 : (perAddress.get(key) ?? 0);
      if (key !== undefined && fromThere >= maxPerAddress) {
        refuse(socket, 'MaxConnectionsPerAddress', peer);
        return false;
      }
      if (total) {
        open++;
        socket.once('close', () => {
          open--;
        });
      }
      if (key !== undefined) {
        perAddress.set(key, fromThere + 1);
        socket.once('close', () => {
          const left = (perAddress.get(key) ?? 1) - 1;
          if (left === 0) perAddress.delete(key);
          else perAddress.set(key, left);
        });
      }
      return true;
    };
    const count = (socket: Socket): void => {
      admit(socket, true, addressKey(socket.remoteAddress));
    };
    const inner = create((socket) => {
      if (subscriber.closed) socket.destroy();
      else if (!refused.has(socket) && !socket.destroyed) {
        const transport = socketTransport(socket, transportOptions);
        const addresses = proxied.get(connectionKey(socket));
        subscriber.next({
          _tag: 'Connected',
          transport:
            addresses === undefined ? transport : { ...transport, peer: addresses.source, host: addresses.destination },
        });
      }
    });
    const acceptProxied =
      (limits: ProxyHeaderLimits) =>
      (socket: Socket): void => {
        if (subscriber.closed) {
          socket.destroy();
          return;
        }
        if (!admit(socket, true, undefined)) return;
        const balancer = remoteAddressOf(socket);
        readingHeader.add(socket);
        readProxyHeader(socket, limits, (outcome) => {
          readingHeader.delete(socket);
          if (outcome._tag === 'Invalid') {
            refused.add(socket);
            socket.on('error', ignore);
            socket.destroy();
            subscriber.next({
              _tag: 'Refused',
              peer: balancer,
              reason: 'ProxyHeader',
              code: outcome.code,
            });
            return;
          }
          const { addresses } = outcome;
          const key = addressKey(addresses?.source.address ?? socket.remoteAddress);
          if (maxPerAddress !== Infinity && !admit(socket, false, key, addresses?.source)) return;
          if (addresses !== undefined) {
            const connection = connectionKey(socket);
            proxied.set(connection, addresses);
            socket.once('close', () => proxied.delete(connection));
          }
          inner.emit('connection', socket);
        });
      };
    const server =
      proxyLimits === undefined
        ? inner
        : createServer({ pauseOnConnect: true, allowHalfOpen: true }, acceptProxied(proxyLimits));
    if (proxyLimits === undefined && (maxConnections !== Infinity || maxPerAddress !== Infinity)) {
      server.prependListener('connection', count);
    }
    server.on('error', (error) => {
      subscriber.error(toTransportError(error));
    });
    server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, backlog: options.backlog }, () => {
      subscriber.next({ _tag: 'Listening', address: toAddress(server.address()) });
    });
    return () => {
      server.close();
      for (const socket of readingHeader) socket.destroy();
    };
  });
};
