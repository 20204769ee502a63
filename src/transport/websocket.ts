/**
 * A {@link Transport} over a WebSocket, for browsers talking to a Telnet-over-WebSocket gateway. It depends on no
 * WebSocket library: the browser's `WebSocket` and the `ws` package's both fit {@link WebSocketLike}.
 *
 * @module
 */
import {
  asyncScheduler,
  defer,
  EMPTY,
  filter,
  interval,
  map,
  Observable,
  of,
  type SchedulerLike,
  Subject,
  take,
  takeUntil,
} from 'rxjs';
import { WebSocketError } from '../negotiation/errors.js';
import type { Compression } from './compression.js';
import { portableCompression } from './portable-compression.js';
import { singleSubscriberInput } from './single-subscriber-input.js';
import type { Address, Transport } from './types.js';

/**
 * The part of the standard `WebSocket` interface the transport uses. The browser's `WebSocket` and the `ws`
 * package's `WebSocket` (client or server side) satisfy it as they are.
 *
 * @example
 * ```ts
 * import type { WebSocketLike } from 'rxtelnet';
 * const socket: WebSocketLike = new WebSocket('wss://gateway.example/telnet');
 * console.log(socket.readyState);
 * ```
 */
export interface WebSocketLike {
  /** Set to `'arraybuffer'` by the transport. */
  binaryType: string;
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes sent but not yet handed to the network. */
  readonly bufferedAmount: number;
  /** The URL the socket was opened with (empty or undefined on the server side of `ws`). */
  readonly url: string;
  send(data: Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { readonly code: number; readonly reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
  removeEventListener(type: 'open', listener: () => void): void;
  removeEventListener(
    type: 'close',
    listener: (event: { readonly code: number; readonly reason: string }) => void,
  ): void;
  removeEventListener(type: 'error', listener: (event: unknown) => void): void;
}

/**
 * A constructor of {@link WebSocketLike} sockets: the browser's `WebSocket`, or `WebSocket` from the `ws` package.
 *
 * @example
 * ```ts
 * import type { WebSocketConstructor } from 'rxtelnet';
 * const browserWebSocket: WebSocketConstructor = WebSocket;
 * ```
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/**
 * Tuning of {@link webSocketTransport}. Every field is optional.
 *
 * @example
 * ```ts
 * import type { WebSocketTransportOptions } from 'rxtelnet';
 * const options: WebSocketTransportOptions = { highWaterMark: 16 * 1024, drainPollInterval: 20 };
 * ```
 */
export interface WebSocketTransportOptions {
  /** `write` returns `false` while more than this many bytes wait to be sent. Default 64 KiB. */
  readonly highWaterMark?: number;
  /** How often, in ms, `drain` looks at `bufferedAmount` (WebSocket has no drain event). Default 50. */
  readonly drainPollInterval?: number;
  /** The scheduler of that polling. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /**
   * Most bytes held in memory on either side: written before the socket opens, or received before `input` is
   * subscribed. One byte more and the transport fails: the socket is closed and `input` errors with
   * `'ERR_WEBSOCKET_OVERFLOW'`. Default 1 MiB.
   */
  readonly maxPending?: number;
  /** The local address to report. Default `{ family: 'other', address: 'websocket', port: 0 }`: a page cannot know its own. */
  readonly host?: Address;
  /** The remote address to report. Default: the host and port of the socket's URL. */
  readonly peer?: Address;
  /**
   * The MCCP engines the transport carries for its connection (`transport.compression`). Default
   * `portableCompression`; `false` for none (the connection then refuses MCCP2 and MCCP3).
   */
  readonly compression?: Compression | false;
}

/**
 * The WebSocket subprotocol of a Telnet stream carried whole in binary frames, as the mudstandards.org WebSocket
 * page names it: offer it with `connectWebSocket(url, { protocols: [TELNET_WEBSOCKET_PROTOCOL] })`; the gateway
 * of `rxtelnet/node` selects it.
 *
 * @example
 * ```ts
 * import { connectWebSocket, TELNET_WEBSOCKET_PROTOCOL } from 'rxtelnet';
 * connectWebSocket('wss://mud.example/ws', { protocols: [TELNET_WEBSOCKET_PROTOCOL] }).subscribe();
 * ```
 */
export const TELNET_WEBSOCKET_PROTOCOL = 'telnet.mudstandards.org';

/**
 * The WebSocket subprotocol of the GMCP form on the mudstandards.org WebSocket page: the game text in binary
 * frames, each GMCP message (`Package.Name json`) in a text frame, no Telnet. The gateway of `rxtelnet/node`
 * speaks it for browsers that want no Telnet in the page.
 *
 * @example
 * ```ts
 * import { GMCP_WEBSOCKET_PROTOCOL } from 'rxtelnet';
 * const socket = new WebSocket('wss://mud.example/ws', [GMCP_WEBSOCKET_PROTOCOL]);
 * socket.addEventListener('message', (event) => console.log(typeof event.data === 'string' ? 'GMCP' : 'text'));
 * ```
 */
export const GMCP_WEBSOCKET_PROTOCOL = 'gmcp.mudstandards.org';

/**
 * The WebSocket subprotocol of the plain terminal form on the mudstandards.org WebSocket page: the game text (ANSI,
 * UTF-8) in binary frames both ways, no Telnet and no GMCP.
 *
 * @example
 * ```ts
 * import { TERMINAL_WEBSOCKET_PROTOCOL } from 'rxtelnet';
 * const socket = new WebSocket('wss://mud.example/ws', [TERMINAL_WEBSOCKET_PROTOCOL]);
 * socket.binaryType = 'arraybuffer';
 * ```
 */
export const TERMINAL_WEBSOCKET_PROTOCOL = 'terminal.mudstandards.org';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;
const defaultHighWaterMark = 64 * 1024;
const defaultDrainPollInterval = 50;
const defaultMaxPending = 1024 * 1024;
const unknownAddress: Address = { family: 'other', address: 'websocket', port: 0 };
const defaultPorts: Readonly<Record<string, number>> = { 'ws:': 80, 'http:': 80, 'wss:': 443, 'https:': 443 };
const utf8 = new TextEncoder();

/** The address a WebSocket URL points at: its host name (IPv6 without brackets) and port, or the scheme's. */
const addressOfUrl = (url: string | undefined): Address => {
  let parsed: URL;
  try {
    parsed = new URL(url ?? '');
  } catch {
    return unknownAddress;
  }
  const { hostname, port, protocol } = parsed;
  return {
    family: 'other',
    address: hostname.replace(/^\[(.*)\]$/, '$1'),
    port: port === '' ? (defaultPorts[protocol] ?? 0) : Number(port),
  };
};

const isCleanClose = (code: number): boolean => code === 1000 || code === 1005;

/**
 * What a message carries, as a new array of its own; `undefined` for data of a type the transport cannot read (a
 * `Blob`). A view (from a WebSocket that ignores `binaryType`) is copied: its buffer may be another's.
 */
const bytesOf = (data: unknown): Uint8Array | undefined => {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (typeof data === 'string') return utf8.encode(data);
  return undefined;
};

/** `bytes` itself when it sits on an `ArrayBuffer` (what `send` accepts), else a copy that does. */
const sendable = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : bytes.slice();

const concat = (chunks: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> => {
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
};

/** Why the socket failed, from an `'error'` event: `ws` puts the error in `error`, browsers nothing. */
const failureOf = (event: unknown): WebSocketError => {
  const cause = typeof event === 'object' && event !== null && 'error' in event ? event.error : event;
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new WebSocketError('ERR_WEBSOCKET_FAILED', `WebSocket failed${detail}`, undefined, undefined, { cause });
};

const closedAbnormally = (code: number, reason: string): WebSocketError =>
  new WebSocketError(
    'ERR_WEBSOCKET_CLOSED',
    `WebSocket closed abnormally (code ${code}${reason === '' ? '' : `: ${reason}`})`,
    code,
    reason,
  );

/**
 * Wraps a WebSocket (connecting or open) as a {@link Transport}. Each message is a chunk of the Telnet byte stream.
 *
 * - `input` emits each binary message as a `Uint8Array` (`binaryType` is set to `'arraybuffer'`); a text message
 *   is emitted as its UTF-8 bytes. Each is a new array (`freshInput`: the connection decodes it in place). It
 *   completes when the socket closes cleanly (code 1000 or 1005, or any code after our own `close()`), errors with
 *   a {@link WebSocketError} on an `'error'` event or an abnormal close.
 *   Messages that arrive before the (single) subscription wait for it; a second subscription errors with
 *   `'ERR_INPUT_ALREADY_SUBSCRIBED'`. There is no `pause`: the WebSocket API cannot stop reading.
 * - `write` sends each chunk as one binary message. Before `'open'` the bytes wait and leave as one message once
 *   the socket opens (at most `maxPending` bytes; past that the transport fails). It returns `false` while more
 *   than `highWaterMark` bytes wait (`bufferedAmount` plus what waits for `'open'`); `drain` then polls every
 *   `drainPollInterval` ms and emits once, then completes, when they are down to the mark (at once if they
 *   already are); it completes without emitting if the transport closes first. Writes after `close()` are
 *   dropped and return `false`.
 * - `close()` closes with code 1000 once what was written has been sent (after `'open'` if still connecting).
 * - `peer` is the URL's host and port (80 or 443 by default); `host` is unknown in a browser. Both can be given.
 * - `compression` is `portableCompression` unless `options.compression` says otherwise, so that a connection over
 *   the transport can agree to MCCP2 and MCCP3.
 *
 * @example
 * ```ts
 * import { createConnection, webSocketTransport } from 'rxtelnet';
 * const connection = createConnection(webSocketTransport(new WebSocket('wss://gateway.example/telnet')));
 * connection.data$.subscribe((bytes) => console.log(bytes.length));
 * connection.write('look\r\n');
 * ```
 */
export const webSocketTransport = (socket: WebSocketLike, options: WebSocketTransportOptions = {}): Transport => {
  const highWaterMark = options.highWaterMark ?? defaultHighWaterMark;
  const pollInterval = options.drainPollInterval ?? defaultDrainPollInterval;
  const scheduler = options.scheduler ?? asyncScheduler;
  const maxPending = options.maxPending ?? defaultMaxPending;
  const ended = new Subject<void>();
  const outgoing: Uint8Array[] = [];
  let outgoingBytes = 0;
  let closeRequested = false;
  let isClosed = socket.readyState === CLOSED;

  socket.binaryType = 'arraybuffer';

  const feed = singleSubscriberInput({
    refuse: () =>
      new WebSocketError('ERR_INPUT_ALREADY_SUBSCRIBED', 'the input of a WebSocket transport is subscribed only once'),
    hold: {
      maxBytes: maxPending,
      overflow: () => {
        fail(
          new WebSocketError('ERR_WEBSOCKET_OVERFLOW', `more than ${maxPending} bytes received before input was read`),
        );
      },
    },
  });

  const finish = (error: WebSocketError | undefined): void => {
    if (isClosed) return;
    isClosed = true;
    outgoing.length = 0;
    outgoingBytes = 0;
    ended.next();
    ended.complete();
    if (error === undefined) feed.complete();
    else feed.error(error);
  };

  const fail = (error: WebSocketError): void => {
    finish(error);
    socket.close();
  };

  const buffered = (): number => socket.bufferedAmount + outgoingBytes;

  const flush = (): void => {
    if (outgoingBytes > 0) socket.send(concat(outgoing.splice(0), outgoingBytes));
    outgoingBytes = 0;
    if (closeRequested) socket.close(1000);
  };

  // Registered for the socket's whole life: they keep what happens before `input` is subscribed.
  socket.addEventListener('open', flush);
  socket.addEventListener('message', (event) => {
    if (isClosed) return;
    const bytes = bytesOf(event.data);
    if (bytes === undefined) {
      fail(new WebSocketError('ERR_WEBSOCKET_FAILED', 'WebSocket message of an unreadable type (binaryType changed?)'));
    } else {
      feed.next(bytes);
    }
  });
  socket.addEventListener('close', (event) => {
    finish(closeRequested || isCleanClose(event.code) ? undefined : closedAbnormally(event.code, event.reason));
  });
  socket.addEventListener('error', (event) => {
    finish(failureOf(event));
  });

  const hasRoom = (): boolean => buffered() <= highWaterMark;

  const drain = defer(() => {
    if (isClosed || closeRequested) return EMPTY;
    if (hasRoom()) return of(undefined);
    return interval(pollInterval, scheduler).pipe(
      filter(hasRoom),
      take(1),
      map((): void => undefined),
      takeUntil(ended),
    );
  });

  return {
    input: feed.input,
    freshInput: true,
    drain,
    write: (bytes) => {
      if (isClosed || closeRequested || socket.readyState > OPEN) return false;
      if (socket.readyState === CONNECTING) {
        outgoing.push(bytes.slice());
        outgoingBytes += bytes.byteLength;
        if (outgoingBytes > maxPending) {
          fail(
            new WebSocketError(
              'ERR_WEBSOCKET_OVERFLOW',
              `more than ${maxPending} bytes written before the WebSocket opened`,
            ),
          );
          return false;
        }
      } else {
        socket.send(sendable(bytes));
      }
      return hasRoom();
    },
    close: () => {
      if (isClosed || closeRequested) return;
      closeRequested = true;
      if (socket.readyState === OPEN) socket.close(1000);
    },
    bufferedBytes: buffered,
    host: options.host ?? unknownAddress,
    peer: options.peer ?? addressOfUrl(socket.url),
    ...(options.compression === false ? {} : { compression: options.compression ?? portableCompression }),
  };
};

/**
 * Options of {@link connectWebSocket}: the transport's tuning, plus how to open the socket.
 *
 * @example
 * ```ts
 * import type { ConnectWebSocketOptions } from 'rxtelnet';
 * const options: ConnectWebSocketOptions = { protocols: ['telnet'], highWaterMark: 32 * 1024 };
 * ```
 */
export interface ConnectWebSocketOptions extends WebSocketTransportOptions {
  /**
   * The subprotocols to offer (`Sec-WebSocket-Protocol`), as the `WebSocket` constructor takes them, e.g.
   * `[TELNET_WEBSOCKET_PROTOCOL]`. Default: none.
   */
  readonly protocols?: string | string[];
  /** The constructor to use. Default `globalThis.WebSocket` (browsers, Node 22+); pass `ws`'s `WebSocket` in Node 20. */
  readonly WebSocket?: WebSocketConstructor;
}

const globalWebSocket = (): WebSocketConstructor | undefined =>
  (globalThis as { readonly WebSocket?: WebSocketConstructor }).WebSocket;

/**
 * Opens a WebSocket to `url` on subscribe and emits it as a {@link Transport} (see {@link webSocketTransport}) once
 * it is open. Lifetime, as for `connectTcp`: unsubscribing before it opens closes the socket; once emitted, the
 * transport is yours and stays open until you `close()` it or the peer closes, whatever becomes of the
 * subscription (so `firstValueFrom` gives a live one); the Observable completes once the socket has closed. The
 * transport carries `portableCompression` (MCCP2/MCCP3 in plain JavaScript) for
 * the connection made over it, unless `options.compression` says otherwise. Errors with a {@link WebSocketError} (`'ERR_WEBSOCKET_OPEN_FAILED'`, or
 * `'ERR_WEBSOCKET_UNAVAILABLE'` without a `WebSocket`) if it does not open. There is no timeout of its own: the browser gives up on its own schedule, or pipe `timeout()`.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { connectWebSocket, createConnection, TELNET_WEBSOCKET_PROTOCOL } from 'rxtelnet';
 * const transport = await firstValueFrom(
 *   connectWebSocket('wss://gateway.example/telnet', { protocols: [TELNET_WEBSOCKET_PROTOCOL] }),
 * );
 * const connection = createConnection(transport);
 * connection.data$.subscribe((bytes) => console.log(bytes.length));
 * // later: connection.loseConnection();
 * ```
 */
export const connectWebSocket = (url: string, options: ConnectWebSocketOptions = {}): Observable<Transport> =>
  new Observable<Transport>((subscriber) => {
    const Constructor = options.WebSocket ?? globalWebSocket();
    if (Constructor === undefined) {
      subscriber.error(new WebSocketError('ERR_WEBSOCKET_UNAVAILABLE', 'no WebSocket: pass options.WebSocket'));
      return undefined;
    }
    let socket: WebSocketLike;
    try {
      socket = new Constructor(url, options.protocols);
    } catch (error) {
      const detail = error instanceof Error ? `: ${error.message}` : '';
      subscriber.error(
        new WebSocketError(
          'ERR_WEBSOCKET_OPEN_FAILED',
          `cannot open a WebSocket to ${url}${detail}`,
          undefined,
          undefined,
          {
            cause: error,
          },
        ),
      );
      return undefined;
    }
    const transport = webSocketTransport(socket, options);
    let opened = false;
    const onClosed = (): void => {
      subscriber.complete();
    };
    const onOpen = (): void => {
      opened = true;
      cleanup();
      socket.addEventListener('close', onClosed); // after the transport's own listener: its input has ended by then
      subscriber.next(transport);
    };
    const onError = (event: unknown): void => {
      subscriber.error(
        new WebSocketError('ERR_WEBSOCKET_OPEN_FAILED', `WebSocket to ${url} did not open`, undefined, undefined, {
          cause: failureOf(event).cause,
        }),
      );
    };
    const onClose = (event: { readonly code: number; readonly reason: string }): void => {
      subscriber.error(
        new WebSocketError(
          'ERR_WEBSOCKET_OPEN_FAILED',
          `WebSocket to ${url} closed before it opened`,
          event.code,
          event.reason,
        ),
      );
    };
    const cleanup = (): void => {
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('error', onError);
      socket.removeEventListener('close', onClose);
    };
    socket.addEventListener('open', onOpen);
    socket.addEventListener('error', onError);
    socket.addEventListener('close', onClose);
    return () => {
      cleanup();
      socket.removeEventListener('close', onClosed);
      if (!opened) socket.close();
    };
  });
