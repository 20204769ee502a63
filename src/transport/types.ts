import type { Observable } from 'rxjs';
import type { Compression } from './compression.js';

/**
 * Where one end of a connection is: the shape of Twisted's `IAddress` for TCP.
 *
 * @example
 * ```ts
 * import type { Address } from 'rxtelnet';
 * const local: Address = { family: 'IPv4', address: '127.0.0.1', port: 4000 };
 * ```
 */
export interface Address {
  readonly family: 'IPv4' | 'IPv6' | 'unix' | 'other';
  readonly address: string;
  readonly port: number;
}

/**
 * A byte pipe a Telnet connection runs over: a TCP or TLS socket, a WebSocket, a test double.
 *
 * The connection never touches sockets itself, so it runs anywhere a `Transport` can be written.
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import type { Transport } from 'rxtelnet';
 * const incoming = new Subject<Uint8Array>();
 * const transport: Transport = {
 *   input: incoming,
 *   write: (bytes) => { console.log(bytes); return true; },
 *   close: () => incoming.complete(),
 *   host: { family: 'other', address: 'memory', port: 0 },
 *   peer: { family: 'other', address: 'memory', port: 0 },
 * };
 * ```
 */
export interface Transport {
  /**
   * The bytes received, chunk by chunk. Completes when the peer closes, errors on a transport failure.
   * Subscribed to once, by the connection; a transport keeps what arrives before that subscription.
   */
  readonly input: Observable<Uint8Array>;
  /**
   * Whether every chunk of `input` is a new array that no one else reads (as a socket's reads are): the connection
   * may then rewrite it as it decodes, translating newlines in place rather than copying. Default false. A wrapper
   * that passes `input` on (`{ ...transport, input }`) keeps the promise only if it reads no chunk after passing it.
   */
  readonly freshInput?: boolean;
  /**
   * Queues bytes for sending. Returns `false` when the transport's buffer is above its high-water mark,
   * so that callers can wait for {@link Transport.drain} before writing more.
   */
  write(bytes: Uint8Array): boolean;
  /**
   * Emits once, then completes, when the write buffer is below its high-water mark again (at once if it already
   * is): subscribe after `write` returned `false`. Completes without emitting if the transport closes first.
   */
  readonly drain?: Observable<void>;
  /** Flushes what was written, then closes. `input` completes once the transport is closed. */
  close(): void;
  /**
   * Closes at once, dropping what is still buffered: for a peer that stopped reading. A connection calls it when
   * it ends with `OutputOverflow`; without it, it calls `close()`.
   */
  abort?(): void;
  /**
   * The bytes written but not yet handed to the system (a socket's `writableLength`, a WebSocket's
   * `bufferedAmount`). A connection counts them against its `maxBufferedOutput`; without it, it counts only its own.
   */
  bufferedBytes?(): number;
  /**
   * Pauses reading from the peer (backpressure), where the transport supports it: `input` stops emitting and,
   * on a socket, the kernel buffers fill until flow control slows the peer down.
   */
  pause?(): void;
  /** Resumes reading after {@link Transport.pause}. */
  resume?(): void;
  /**
   * The MCCP2/MCCP3 engines that suit this transport's platform: a connection over it uses them when its own
   * `compression` option is not given. The WebSocket transports carry `portableCompression`; others none.
   */
  readonly compression?: Compression;
  /** The local end. */
  readonly host: Address;
  /** The remote end. */
  readonly peer: Address;
}
