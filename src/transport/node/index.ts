/**
 * The Node.js adapters of rxtelnet, the `rxtelnet/node` entry point: TCP and TLS transports (client and server)
 * and MCCP compression with `node:zlib`. The root `rxtelnet` entry never imports `node:` modules; this one does.
 *
 * @module
 */
export { connectTcp, listenTcp } from './tcp.js';
export { connectTls, listenTls } from './tls.js';
export type { ConnectTlsOptions, ListenTlsOptions } from './tls.js';
export type { ConnectOptions } from './connect-socket.js';
export type { Accepted, ListenEvent, ListenOptions, Listening } from './listen-server.js';
export { socketTransport } from './socket-transport.js';
export type { SocketTransportOptions } from './socket-transport.js';
export { TransportError } from './transport-error.js';
export { nodeCompression } from './zlib.js';
export { connect, listen } from './telnet.js';
export type { TelnetConnectOptions, TelnetListenOptions, TelnetServerEvent } from './telnet.js';
