/**
 * The Node.js adapters of rxtelnet, the `rxtelnet/node` entry point: TCP and TLS transports (client and server)
 * and MCCP compression with `node:zlib`. The root `rxtelnet` entry never imports `node:` modules; this one does.
 *
 * @module
 */
export { connectTcp, listenTcp } from '../transport/node/tcp.js';
export { connectTls, listenTls } from '../transport/node/tls.js';
export type { ConnectTlsOptions, ListenTlsOptions } from '../transport/node/tls.js';
export type { ConnectOptions } from '../transport/node/connect-socket.js';
export type {
  TransportConnected,
  ListenEvent,
  ListenOptions,
  Listening,
  RefusalReason,
  Refused,
} from '../transport/node/listen-server.js';
export type { ProxyHeaderErrorCode } from '../transport/proxy-header.js';
export { socketTransport } from '../transport/node/socket-transport.js';
export type { SocketTransportOptions } from '../transport/node/socket-transport.js';
export { TransportError } from '../negotiation/errors.js';
export { compactCompression, nodeCompression } from '../transport/node/zlib.js';
export { connectTelnet, listenTelnet } from './telnet.js';
export type { TelnetConnectOptions, TelnetListenOptions, TelnetServerEvent } from './telnet.js';
export { drainOn } from './drain.js';
export type { DrainableEvent, Drained, Draining, DrainOptions } from './drain.js';
export { registerTelnetMetrics } from './prometheus.js';
export type { RegisterTelnetMetricsOptions } from './prometheus.js';
export { attachGateway, listenGateway } from './gateway.js';
export type { Gateway, GatewayOptions, ListenGatewayOptions, ListeningGateway } from './gateway.js';
