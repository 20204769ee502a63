/**
 * A WebSocket-to-Telnet gateway for browser clients: each WebSocket (binary frames, the Telnet stream unchanged)
 * is bridged to its own TCP or TLS connection to one Telnet server. On the `ws` package.
 *
 * @module
 */
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import { connect as connectTcpSocket } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTlsSocket } from 'node:tls';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { policyOf } from '../negotiation/policy.js';
import { TelnetOption } from '../protocol/options.js';
import { createConnection } from '../session/connection.js';
import { socketTransport } from '../transport/node/socket-transport.js';
import { compactCompression } from '../transport/node/zlib.js';
import {
  GMCP_WEBSOCKET_PROTOCOL,
  TELNET_WEBSOCKET_PROTOCOL,
  TERMINAL_WEBSOCKET_PROTOCOL,
} from '../transport/websocket.js';
import type { Address } from '../transport/types.js';
import { toAddress } from '../transport/node/socket-address.js';
import { timeoutOption } from '../protocol/durations.js';

/**
 * How a {@link attachGateway} bridges. Only `to` is required.
 *
 * @example
 * ```ts
 * import type { GatewayOptions } from 'rxtelnet/node';
 * const options: GatewayOptions = {
 *   to: { host: '127.0.0.1', port: 4000 },
 *   origins: ['https://play.mud.example'],
 *   maxPerAddress: 4,
 *   idleTimeout: 15 * 60_000,
 * };
 * ```
 */
export interface GatewayOptions {
  /** The Telnet server every WebSocket is bridged to; with `tls`, over TLS (`{}` for the system's CAs). */
  readonly to: {
    readonly host: string;
    readonly port: number;
    readonly tls?: Omit<TlsConnectionOptions, 'host' | 'port'>;
  };
  /**
   * The page origins allowed to connect (the `Origin` header, e.g. `'https://play.mud.example'`); others get a
   * 403. Default: any origin, and requests without one (non-browser clients).
   */
  readonly origins?: readonly string[];
  /** Open WebSockets allowed from one IP address; one more gets a 429. Default 8. */
  readonly maxPerAddress?: number;
  /** Open WebSockets allowed in all; one more gets a 503. Default 1024. */
  readonly maxConnections?: number;
  /** Milliseconds without a byte either way after which both ends are closed; `Infinity` for none. Default 30 min. */
  readonly idleTimeout?: number;
  /**
   * The subprotocols the gateway speaks, best first: it selects the first of them that the browser offers. A
   * browser that offers some, none of them these, is refused; one that offers none gets the Telnet stream (older
   * clients). Default: all three of the mudstandards.org WebSocket page that it knows, `telnet.mudstandards.org`
   * (the Telnet stream unchanged), `gmcp.mudstandards.org` (game text in binary frames, GMCP messages in text
   * frames) and `terminal.mudstandards.org` (game text only); for the last two the gateway is the Telnet client.
   */
  readonly protocols?: readonly string[];
  /** Only upgrade requests for this path are bridged (others are left to the server, or get a 404). Default: any. */
  readonly path?: string;
  /** The largest WebSocket message accepted, in bytes; a larger one closes that socket (1009). Default 64 KiB. */
  readonly maxPayload?: number;
  /** Bytes waiting to reach the browser above which the Telnet server is no longer read from. Default 1 MiB. */
  readonly highWaterMark?: number;
}

/**
 * A gateway attached to an HTTP(S) server, or listening on its own.
 *
 * @example
 * ```ts
 * import type { Gateway } from 'rxtelnet/node';
 * const report = (gateway: Gateway): string => `${gateway.connections()} browsers connected`;
 * ```
 */
export interface Gateway {
  /** How many WebSockets are bridged now. */
  connections(): number;
  /** Stops accepting, closes every bridged WebSocket (1001) and its Telnet connection. */
  close(): Promise<void>;
}

/**
 * A gateway with its own server: where it listens.
 *
 * @example
 * ```ts
 * import { listenGateway } from 'rxtelnet/node';
 * const gateway = await listenGateway({ port: 0, to: { host: '127.0.0.1', port: 4000 } });
 * console.log(`ws://127.0.0.1:${gateway.address.port}/`);
 * await gateway.close();
 * ```
 */
export interface ListeningGateway extends Gateway {
  readonly address: Address;
  /** The HTTP(S) server, for more routes: requests that are not upgrades get a 404 unless you answer them. */
  readonly server: HttpServer | HttpsServer;
}

const DEFAULT_MAX_PER_ADDRESS = 8;
const DEFAULT_MAX_CONNECTIONS = 1024;
const DEFAULT_IDLE_TIMEOUT = 30 * 60_000;
const DEFAULT_MAX_PAYLOAD = 64 * 1024;
const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;
const { ECHO, SGA, EOR, MCCP2, GMCP } = TelnetOption;
const SERVER_CLOSED = 'the Telnet server closed the connection';
const utf8 = new TextDecoder();
const codeOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : String(error);
/** A close reason is at most 123 bytes (RFC 6455); ours stay well below. */
const reasonOf = (text: string): string => (text.length > 100 ? `${text.slice(0, 97)}...` : text);

const checkCount = (name: string, value: number): number => {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
};

/** Refuses an upgrade request with a plain HTTP status. */
const refuse = (socket: Duplex, status: number, text: string): void => {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/** The bytes of a WebSocket message: binary frames as they are, text frames as UTF-8. */
const bytesOf = (data: RawData): Buffer =>
  Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);

/**
 * Bridges WebSocket upgrade requests of `server` (an `http` or `https` server of yours) to the Telnet server
 * `options.to`. Per WebSocket: binary frames both ways carry the Telnet stream unchanged (text frames from the
 * browser are sent as their UTF-8 bytes); the Telnet side is read only while the browser keeps up. Closing:
 * when the Telnet server ends the connection, the WebSocket closes with 1000 and the reason; when it cannot be
 * reached or fails, with 1014 (bad gateway) and the error; when the browser closes, the Telnet connection is
 * ended; idle past `idleTimeout`, both close (4000, `'idle timeout'`).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { attachGateway } from 'rxtelnet/node';
 * const server = createServer((request, response) => response.end('a MUD'));
 * const gateway = attachGateway(server, { to: { host: '127.0.0.1', port: 4000 }, path: '/ws' });
 * server.listen(8080);
 * // later: await gateway.close(); server.close();
 * ```
 */
export const attachGateway = (server: HttpServer | HttpsServer, options: GatewayOptions): Gateway => {
  const maxPerAddress = checkCount('maxPerAddress', options.maxPerAddress ?? DEFAULT_MAX_PER_ADDRESS);
  const maxConnections = checkCount('maxConnections', options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  const idleTimeout = timeoutOption('idleTimeout', options.idleTimeout, DEFAULT_IDLE_TIMEOUT);
  const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  const protocols = options.protocols ?? [
    TELNET_WEBSOCKET_PROTOCOL,
    GMCP_WEBSOCKET_PROTOCOL,
    TERMINAL_WEBSOCKET_PROTOCOL,
  ];
  const origins = options.origins === undefined ? undefined : new Set(options.origins);
  const perAddress = new Map<string, number>();
  const open = new Set<WebSocket>();
  let closing = false;

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
    perMessageDeflate: false,
    handleProtocols: (offered) => protocols.find((protocol) => offered.has(protocol)) ?? false,
  });

  const bridge = (socket: WebSocket, address: string): void => {
    open.add(socket);
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    const { host, port, tls } = options.to;
    const telnet: Socket =
      tls === undefined ? connectTcpSocket({ host, port }) : connectTlsSocket({ ...tls, host, port });
    telnet.setNoDelay(true);
    let ended = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** Bytes sent to the browser whose send has not completed yet. */
    let unsent = 0;

    /** Once, whichever side ends first: the counts, the timer, and the Telnet side ended (then destroyed). */
    const release = (): boolean => {
      if (ended) return false;
      ended = true;
      if (timer !== undefined) clearTimeout(timer);
      open.delete(socket);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
      telnet.end();
      setTimeout(() => telnet.destroy(), 2000).unref();
      return true;
    };
    const end = (code: number, reason: string): void => {
      if (release() && socket.readyState === socket.OPEN) socket.close(code, reasonOf(reason));
    };
    const touch = (): void => {
      if (!Number.isFinite(idleTimeout)) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        end(4000, 'idle timeout');
      }, idleTimeout);
      timer.unref();
    };
    touch();

    /** `telnet.mudstandards.org` (or no subprotocol): the Telnet stream unchanged both ways. */
    const relay = (): void => {
      telnet.on('data', (chunk: Buffer) => {
        touch();
        unsent += chunk.length;
        socket.send(chunk, { binary: true }, () => {
          unsent -= chunk.length;
          if (unsent <= highWaterMark && telnet.isPaused()) telnet.resume();
        });
        if (unsent > highWaterMark) telnet.pause();
      });
      telnet.on('end', () => {
        end(1000, SERVER_CLOSED);
      });
      telnet.on('close', () => {
        end(1000, SERVER_CLOSED);
      });
      telnet.on('error', (error: NodeJS.ErrnoException) => {
        end(1014, `Telnet server ${host}:${port}: ${error.code ?? error.message}`);
      });
      socket.on('message', (data) => {
        touch();
        if (!telnet.write(bytesOf(data))) {
          socket.pause();
          telnet.once('drain', () => {
            socket.resume();
          });
        }
      });
    };

    /**
     * `gmcp.mudstandards.org` and `terminal.mudstandards.org`: the gateway is the Telnet client (ECHO, SGA, EOR,
     * MCCP2 accepted, and GMCP for the first), the browser gets the game text in binary frames and, with GMCP,
     * each GMCP message as a text frame `Package.Name json`; its binary frames are typed text, its text frames
     * GMCP messages to send.
     */
    const translate = (withGmcp: boolean): void => {
      const connection = createConnection(socketTransport(telnet), {
        policy: policyOf({ remote: [ECHO, SGA, EOR, MCCP2, ...(withGmcp ? [GMCP] : [])] }),
        compression: compactCompression,
        newline: 'raw',
      });
      connection.data$.subscribe((bytes) => {
        touch();
        socket.send(bytes, { binary: true });
      });
      if (withGmcp) {
        connection.subnegotiations$(GMCP).subscribe(({ payload }) => {
          touch();
          socket.send(utf8.decode(payload), { binary: false });
        });
      }
      connection.closed$.subscribe((reason) => {
        if (reason._tag !== 'TransportFailed') end(1000, SERVER_CLOSED);
        else end(1014, `Telnet server ${host}:${port}: ${codeOf(reason.error)}`);
      });
      socket.on('message', (data, isBinary) => {
        touch();
        if (withGmcp && !isBinary) connection.requestNegotiation(GMCP, bytesOf(data));
        else connection.write(bytesOf(data));
      });
    };

    if (socket.protocol === GMCP_WEBSOCKET_PROTOCOL || socket.protocol === TERMINAL_WEBSOCKET_PROTOCOL) {
      translate(socket.protocol === GMCP_WEBSOCKET_PROTOCOL);
    } else {
      relay();
    }
    socket.on('close', () => {
      release();
    });
    socket.on('error', () => {
      end(1011, 'WebSocket error');
    });
  };

  const onUpgrade = (request: IncomingMessage, stream: Duplex, head: Buffer): void => {
    if (options.path !== undefined && new URL(request.url ?? '/', 'http://gateway').pathname !== options.path) {
      if (server.listenerCount('upgrade') === 1) refuse(stream, 404, 'Not Found');
      return;
    }
    if (closing) {
      refuse(stream, 503, 'Service Unavailable');
      return;
    }
    const origin = request.headers.origin;
    if (origins !== undefined && (origin === undefined || !origins.has(origin))) {
      refuse(stream, 403, 'Forbidden');
      return;
    }
    const address = request.socket.remoteAddress ?? 'unknown';
    if (open.size >= maxConnections) {
      refuse(stream, 503, 'Service Unavailable');
      return;
    }
    if ((perAddress.get(address) ?? 0) >= maxPerAddress) {
      refuse(stream, 429, 'Too Many Requests');
      return;
    }
    const offered = request.headers['sec-websocket-protocol'];
    if (offered !== undefined) {
      const names = offered.split(',').map((name) => name.trim());
      if (!names.some((name) => protocols.includes(name))) {
        refuse(stream, 400, 'Bad Request');
        return;
      }
    }
    sockets.handleUpgrade(request, stream, head, (socket) => {
      bridge(socket, address);
    });
  };
  server.on('upgrade', onUpgrade);

  return {
    connections: () => open.size,
    close: async () => {
      closing = true;
      server.off('upgrade', onUpgrade);
      const closed = [...open].map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) resolve();
            else {
              socket.once('close', () => {
                resolve();
              });
              socket.close(1001, 'the gateway is shutting down');
              setTimeout(() => {
                socket.terminate();
                resolve();
              }, 2000).unref();
            }
          }),
      );
      await Promise.all(closed);
      await new Promise<void>((resolve) => {
        sockets.close(() => {
          resolve();
        });
      });
    },
  };
};

/**
 * Options of {@link listenGateway}: the bridging, where to listen, and TLS for `wss://`.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import type { ListenGatewayOptions } from 'rxtelnet/node';
 * const options: ListenGatewayOptions = {
 *   host: '0.0.0.0',
 *   port: 8443,
 *   tls: { cert: readFileSync('cert.pem'), key: readFileSync('key.pem') },
 *   to: { host: '127.0.0.1', port: 4000 },
 * };
 * ```
 */
export interface ListenGatewayOptions extends GatewayOptions {
  /** The interface to bind; default `'127.0.0.1'`. */
  readonly host?: string;
  /** The port; 0 picks a free one. */
  readonly port: number;
  /** Serve `wss://` with this certificate and key (PEM). */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Answers plain HTTP requests (a page, a bundle); default: 404 for all. */
  readonly onRequest?: (request: IncomingMessage, response: ServerResponse) => void;
}

/**
 * Starts an HTTP (or, with `tls`, HTTPS) server that does nothing but the gateway of {@link attachGateway},
 * and resolves once it listens.
 *
 * @example
 * ```ts
 * import { listenGateway } from 'rxtelnet/node';
 * const gateway = await listenGateway({ port: 8080, to: { host: '127.0.0.1', port: 4000 } });
 * // browsers: connectWebSocket('ws://127.0.0.1:8080/', { protocols: [TELNET_WEBSOCKET_PROTOCOL] })
 * process.once('SIGINT', () => void gateway.close());
 * ```
 */
export const listenGateway = async (options: ListenGatewayOptions): Promise<ListeningGateway> => {
  const { host = '127.0.0.1', port, tls, onRequest, ...bridging } = options;
  const answer =
    onRequest ??
    ((_request: IncomingMessage, response: ServerResponse): void => {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: this is a WebSocket gateway\n');
    });
  const server =
    tls === undefined ? createHttpServer(answer) : createHttpsServer({ cert: tls.cert, key: tls.key }, answer);
  const gateway = attachGateway(server, bridging);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    address: toAddress(server.address()),
    server,
    connections: () => gateway.connections(),
    close: async () => {
      await gateway.close();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    },
  };
};
