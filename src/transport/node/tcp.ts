import { connect, createServer } from 'node:net';
import type { Observable } from 'rxjs';
import type { Transport } from '../types.js';
import { connectSocket } from './connect-socket.js';
import type { ConnectOptions } from './connect-socket.js';
import { listenServer } from './listen-server.js';
import type { ListenEvent, ListenOptions } from './listen-server.js';

/**
 * Connects over TCP. Cold: each subscription opens its own connection and emits one {@link Transport} once
 * connected. Lifetime: unsubscribing before that aborts the attempt (the socket is destroyed); once emitted, the
 * transport is yours and stays open until you `close()` it or the peer closes, whatever becomes of the
 * subscription (so `firstValueFrom` gives a live one). The Observable completes once the socket has closed.
 * Failures (`ECONNREFUSED`, `ENOTFOUND`, the `timeout`, the `signal`) error with a {@link TransportError} whose
 * `code` names them.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { connectTcp } from 'rxtelnet/node';
 * const transport = await firstValueFrom(connectTcp({ host: 'localhost', port: 4000, timeout: 5_000 }));
 * transport.input.subscribe((bytes) => console.log(new TextDecoder().decode(bytes)));
 * transport.write(new TextEncoder().encode('hello\r\n'));
 * ```
 */
export const connectTcp = (options: ConnectOptions): Observable<Transport> =>
  connectSocket(() => connect({ host: options.host, port: options.port, allowHalfOpen: true }), 'connect', options);

/**
 * Listens for TCP connections while subscribed: emits {@link Listening} with the bound address (the real port
 * when port 0 was asked), then a {@link TransportConnected} per incoming connection. Lifetime: unsubscribing
 * stops listening, so new connections are refused; each transport emitted is yours and stays open until it or
 * the peer closes it, whatever becomes of the subscription. With `maxConnections` or `maxConnectionsPerAddress`,
 * a connection over a cap is refused at once (`refusalMessage`, then closed) and reported as {@link Refused}.
 * With `proxyProtocol`, each connection's PROXY header (from a load balancer) is read first and the transport's
 * `peer` is the client it names; a connection without a valid header is destroyed and reported as
 * {@link Refused}. Failing to listen (`EADDRINUSE`, `EACCES`) errors with a {@link TransportError}.
 *
 * @example
 * ```ts
 * import { listenTcp } from 'rxtelnet/node';
 * const server = listenTcp({ port: 0 }).subscribe((event) => {
 *   if (event._tag === 'Listening') console.log(`telnet 127.0.0.1 ${event.address.port}`);
 *   else if (event._tag === 'Connected') {
 *     event.transport.write(new TextEncoder().encode('Welcome!\r\n'));
 *     event.transport.close();
 *   }
 * });
 * // later: server.unsubscribe();
 * ```
 */
export const listenTcp = (options: ListenOptions = {}): Observable<ListenEvent> =>
  listenServer((onSocket) => createServer({ pauseOnConnect: true, allowHalfOpen: true }, onSocket), options);
