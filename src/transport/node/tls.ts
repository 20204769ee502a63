import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { connect, createServer } from 'node:tls';
import type { Observable } from 'rxjs';
import type { Transport } from '../types.js';
import { connectSocket } from './connect-socket.js';
import type { ConnectOptions } from './connect-socket.js';
import { listenServer } from './listen-server.js';
import type { ListenEvent, ListenOptions } from './listen-server.js';

/**
 * {@link ConnectOptions} plus the TLS settings of `node:tls`: `ca` (trust these certificates, e.g. a self-signed
 * server's), `cert` and `key` (a client certificate), `rejectUnauthorized` (default `true`: keep it), `servername`
 * (the name to verify and to send as SNI when it differs from `host`).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import type { ConnectTlsOptions } from 'rxtelnet/node';
 * const options: ConnectTlsOptions = {
 *   host: '10.0.0.5',
 *   port: 4443,
 *   servername: 'mud.example',
 *   ca: readFileSync('ca.pem'),
 * };
 * ```
 */
export interface ConnectTlsOptions
  extends ConnectOptions, Pick<ConnectionOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'> {}

/**
 * {@link ListenOptions} plus the TLS settings of `node:tls`: the server's `cert` and `key`, and for client
 * certificates `ca`, `requestCert` and `rejectUnauthorized`.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import type { ListenTlsOptions } from 'rxtelnet/node';
 * const options: ListenTlsOptions = { port: 4443, cert: readFileSync('cert.pem'), key: readFileSync('key.pem') };
 * ```
 */
export interface ListenTlsOptions
  extends ListenOptions, Pick<TlsOptions, 'ca' | 'cert' | 'key' | 'requestCert' | 'rejectUnauthorized'> {}

/**
 * Connects over TLS; otherwise (the lifetime too) as {@link connectTcp}. The {@link Transport} is emitted once
 * the handshake is done and the server's certificate verified, and is yours until it or the peer closes it; a certificate that does not verify errors with a {@link TransportError}
 * carrying Node's code (`'DEPTH_ZERO_SELF_SIGNED_CERT'`, `'ERR_TLS_CERT_ALTNAME_INVALID'`, ...). The `timeout`
 * covers the TCP connect and the handshake.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { connectTls } from 'rxtelnet/node';
 * const transport = await firstValueFrom(connectTls({ host: 'mud.example', port: 4443 }));
 * transport.write(new TextEncoder().encode('hello\r\n'));
 * ```
 */
export const connectTls = (options: ConnectTlsOptions): Observable<Transport> => {
  const { host, port, timeout: _timeout, signal: _signal, noDelay: _noDelay, ...tlsOptions } = options;
  return connectSocket(() => connect({ ...tlsOptions, host, port }), 'secureConnect', options);
};

/**
 * Listens for TLS connections while subscribed; otherwise (the lifetime too) as {@link listenTcp}. A connection is emitted once its
 * handshake is done; clients that fail the handshake are dropped without disturbing the server.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { listenTls } from 'rxtelnet/node';
 * listenTls({ port: 4443, cert: readFileSync('cert.pem'), key: readFileSync('key.pem') }).subscribe((event) => {
 *   if (event._tag === 'Connected') event.transport.write(new TextEncoder().encode('Welcome!\r\n'));
 * });
 * ```
 */
export const listenTls = (options: ListenTlsOptions): Observable<ListenEvent> => {
  const {
    host: _host,
    port: _port,
    backlog: _backlog,
    noDelay: _noDelay,
    maxConnections: _maxConnections,
    maxConnectionsPerAddress: _maxConnectionsPerAddress,
    refusalMessage: _refusalMessage,
    proxyProtocol: _proxyProtocol,
    proxyHeaderTimeout: _proxyHeaderTimeout,
    maxProxyHeaderBytes: _maxProxyHeaderBytes,
    ...tlsOptions
  } = options;
  return listenServer((onSocket) => createServer({ allowHalfOpen: true, ...tlsOptions }, onSocket), options, false);
};
