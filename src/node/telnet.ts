/**
 * Telnet over TCP or TLS in Node: the transports of this folder joined to {@link createConnection}.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { concat, ignoreElements, map, of, switchMap, take } from 'rxjs';
import { createConnection } from '../session/connection.js';
import type { ConnectionOptions, TelnetConnection } from '../session/connection.js';
import type { Address } from '../transport/types.js';
import type { ConnectOptions } from '../transport/node/connect-socket.js';
import type { ListenEvent, ListenOptions, Refused } from '../transport/node/listen-server.js';
import { connectTcp, listenTcp } from '../transport/node/tcp.js';
import { connectTls, listenTls } from '../transport/node/tls.js';
import type { ConnectTlsOptions, ListenTlsOptions } from '../transport/node/tls.js';
import { compactCompression } from '../transport/node/zlib.js';

/**
 * Where and how to connect: TCP, or TLS when `tls` is given, plus the connection's options.
 *
 * @example
 * ```ts
 * import { TelnetOption, policyOf } from 'rxtelnet';
 * import { connectTelnet } from 'rxtelnet/node';
 * import type { TelnetConnectOptions } from 'rxtelnet/node';
 * const options: TelnetConnectOptions = { host: 'mud.example', port: 4443, tls: { servername: 'mud.example' }, policy: policyOf({ remote: [TelnetOption.ECHO] }) };
 * connectTelnet(options).subscribe((connection) => connection.write('look\n'));
 * ```
 */
export interface TelnetConnectOptions extends ConnectOptions, ConnectionOptions {
  /** Connect over TLS with these options (`{}` for the system's CAs). */
  readonly tls?: Omit<ConnectTlsOptions, keyof ConnectOptions>;
}

/**
 * Where and how to listen: TCP, or TLS when `tls` is given, plus the options of every accepted connection.
 *
 * @example
 * ```ts
 * import { listenTelnet } from 'rxtelnet/node';
 * import type { TelnetListenOptions } from 'rxtelnet/node';
 * const options: TelnetListenOptions = { host: '127.0.0.1', port: 0, negotiationTimeout: 3000 };
 * listenTelnet(options).subscribe((event) => console.log(event._tag));
 * ```
 */
export interface TelnetListenOptions extends ListenOptions, ConnectionOptions {
  /** Listen over TLS with these options (a `cert` and `key` at least). */
  readonly tls?: Omit<ListenTlsOptions, keyof ListenOptions>;
}

/**
 * What {@link listenTelnet} emits: first where it listens, then each connection it accepts, and each one it
 * refused over a cap ({@link Refused}: log it).
 *
 * @example
 * ```ts
 * import { listenTelnet } from 'rxtelnet/node';
 * import type { TelnetServerEvent } from 'rxtelnet/node';
 * const onEvent = (event: TelnetServerEvent): void => {
 *   if (event._tag === 'Listening') console.log(`port ${event.address.port}`);
 *   else if (event._tag === 'Refused') console.warn(`refused ${event.peer.address}: ${event.reason}`);
 *   else event.connection.write('Hello!\n');
 * };
 * listenTelnet({ port: 0 }).subscribe(onEvent);
 * ```
 */
export type TelnetServerEvent =
  | { readonly _tag: 'Listening'; readonly address: Address }
  | { readonly _tag: 'Connected'; readonly connection: TelnetConnection }
  | Refused;

const withCompression = (options: ConnectionOptions): ConnectionOptions => ({
  compression: compactCompression,
  ...options,
});

/**
 * Emits `connection`, then completes right after its `closed$` has emitted. Unsubscribing leaves the connection
 * open: once emitted it is the caller's, until `loseConnection()` or the peer closes it.
 */
const untilClosed = (connection: TelnetConnection): Observable<TelnetConnection> =>
  concat(of(connection), connection.closed$.pipe(ignoreElements()));

/**
 * Connects to a Telnet server. Cold: each subscription opens its own connection and emits it once connected.
 * Lifetime: unsubscribing before that cancels the attempt (the socket is destroyed); once emitted, the connection
 * is yours and stays open until you call `loseConnection()` or the peer closes, whatever becomes of the
 * subscription, so `await firstValueFrom(connectTelnet(...))` gives a live connection. The Observable completes
 * right after `closed$` has emitted. Connection failures error with a `TransportError` (`ECONNREFUSED`,
 * `ENOTFOUND`, `ETIMEDOUT`...). MCCP uses `compactCompression`.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { TelnetOption, policyOf } from 'rxtelnet';
 * import { connectTelnet } from 'rxtelnet/node';
 *
 * const connection = await firstValueFrom(
 *   connectTelnet({ host: '127.0.0.1', port: 4000, policy: policyOf({ remote: [TelnetOption.ECHO, TelnetOption.SGA] }) }),
 * );
 * connection.data$.subscribe((bytes) => process.stdout.write(bytes));
 * connection.closed$.subscribe((reason) => console.log(`closed: ${reason._tag}`));
 * connection.write('look\n');
 * // later: connection.loseConnection();
 * ```
 */
export const connectTelnet = (options: TelnetConnectOptions): Observable<TelnetConnection> => {
  const { tls, host, port, timeout, signal, noDelay, ...connection } = options;
  const where: ConnectOptions = {
    host,
    port,
    ...(noDelay === undefined ? {} : { noDelay }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(signal === undefined ? {} : { signal }),
  };
  const transports = tls === undefined ? connectTcp(where) : connectTls({ ...where, ...tls });
  return transports.pipe(
    take(1),
    switchMap((transport) => untilClosed(createConnection(transport, withCompression(connection)))),
  );
};

/**
 * Runs a Telnet server while subscribed: emits `Listening` with the bound address (the real port when port 0
 * was asked), then `Connected` for every client, and `Refused` for each one over `maxConnections` or
 * `maxConnectionsPerAddress` (sent `refusalMessage` and closed at once). Lifetime: the server listens while
 * subscribed, and unsubscribing stops listening; each connection emitted is yours and stays open until it
 * closes (`loseConnection`, the peer, or `idleTimeout`: a connection whose peer sends nothing for that long
 * closes with `IdleTimeout`), whatever becomes of the subscription. Binds 127.0.0.1 unless `host` says otherwise.
 * Behind a load balancer, `proxyProtocol: true` reads its PROXY header first: `getPeer()` is then the client.
 * Facing the internet, set the limits (see docs/production.md).
 *
 * @example
 * ```ts
 * import { TelnetOption, policyOf } from 'rxtelnet';
 * import { listenTelnet } from 'rxtelnet/node';
 *
 * const server = listenTelnet({
 *   port: 4000,
 *   policy: policyOf({ local: [TelnetOption.ECHO, TelnetOption.SGA] }),
 *   idleTimeout: 15 * 60_000,
 *   maxConnections: 500,
 *   maxConnectionsPerAddress: 10,
 *   refusalMessage: 'Too many connections, try again later.\r\n',
 * }).subscribe((event) => {
 *   if (event._tag === 'Listening') console.log(`listening on port ${event.address.port}`);
 *   else if (event._tag === 'Refused') console.warn(`refused ${event.peer.address}: ${event.reason}`);
 *   else event.connection.write('Welcome!\n');
 * });
 * // later: server.unsubscribe();
 * ```
 */
export const listenTelnet = (options: TelnetListenOptions = {}): Observable<TelnetServerEvent> => {
  const {
    tls,
    host,
    port,
    backlog,
    noDelay,
    maxConnections,
    maxConnectionsPerAddress,
    refusalMessage,
    proxyProtocol,
    proxyHeaderTimeout,
    maxProxyHeaderBytes,
    ...connection
  } = options;
  const where: ListenOptions = {
    ...(proxyProtocol === undefined ? {} : { proxyProtocol }),
    ...(proxyHeaderTimeout === undefined ? {} : { proxyHeaderTimeout }),
    ...(maxProxyHeaderBytes === undefined ? {} : { maxProxyHeaderBytes }),
    ...(maxConnections === undefined ? {} : { maxConnections }),
    ...(maxConnectionsPerAddress === undefined ? {} : { maxConnectionsPerAddress }),
    ...(refusalMessage === undefined ? {} : { refusalMessage }),
    ...(noDelay === undefined ? {} : { noDelay }),
    ...(host === undefined ? {} : { host }),
    ...(port === undefined ? {} : { port }),
    ...(backlog === undefined ? {} : { backlog }),
  };
  const events: Observable<ListenEvent> = tls === undefined ? listenTcp(where) : listenTls({ ...where, ...tls });
  return events.pipe(
    map((event): TelnetServerEvent =>
      event._tag === 'Connected'
        ? { _tag: 'Connected', connection: createConnection(event.transport, withCompression(connection)) }
        : event,
    ),
  );
};
