import type { Socket } from 'node:net';
import { Observable } from 'rxjs';
import type { Transport } from '../types.js';
import { socketTransport } from './socket-transport.js';
import { TransportError } from '../../negotiation/errors.js';
import { toTransportError } from './transport-error.js';
import { timeoutOption } from '../../protocol/durations.js';

/**
 * Where to connect, for {@link connectTcp} and {@link connectTls}.
 *
 * @example
 * ```ts
 * import type { ConnectOptions } from 'rxtelnet/node';
 * const options: ConnectOptions = {
 *   host: 'mud.example',
 *   port: 23,
 *   timeout: 5_000,
 *   signal: AbortSignal.timeout(30_000),
 * };
 * ```
 */
export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  /**
   * Gives up (a `TransportError` with code `'ETIMEDOUT'`) when not connected after this many ms; default 10 000.
   * `Infinity` never gives up (`signal` still can); 0, negative or NaN is a RangeError at the call.
   */
  readonly timeout?: number;
  /** Aborts the attempt (a `TransportError` with code `'ABORT_ERR'`); ignored once connected. */
  readonly signal?: AbortSignal;
  /** TCP_NODELAY on the connected socket; default `true` (interactive traffic; `false` leaves Nagle on). */
  readonly noDelay?: boolean;
}

const defaultConnectTimeout = 10_000;

const ignore = (): undefined => undefined;

/**
 * Opens a socket on subscribe and emits it as a {@link Transport} once `readyEvent` fires (`'connect'` for TCP,
 * `'secureConnect'` for TLS); completes once that socket has closed. Unsubscribing before the emission destroys
 * the socket; after it, the transport is the caller's and stays open until it or the peer closes it.
 */
export const connectSocket = (
  open: () => Socket,
  readyEvent: 'connect' | 'secureConnect',
  options: ConnectOptions,
): Observable<Transport> => {
  const timeout = timeoutOption('timeout', options.timeout, defaultConnectTimeout);
  return new Observable<Transport>((subscriber) => {
    const { host, port, signal } = options;
    const target = `${host}:${port}`;
    if (signal?.aborted === true) {
      subscriber.error(new TransportError('ABORT_ERR', `connect to ${target} aborted`, { cause: signal.reason }));
      return undefined;
    }
    const socket = open();
    let connected = false;
    const onClose = (): void => {
      subscriber.complete();
    };
    const onReady = (): void => {
      connected = true;
      cleanup();
      const transport = socketTransport(socket, options.noDelay === undefined ? {} : { noDelay: options.noDelay });
      socket.once('close', onClose); // after the transport's own listener: its input has ended by then
      subscriber.next(transport);
    };
    const onError = (error: unknown): void => {
      subscriber.error(toTransportError(error));
    };
    const onAbort = (): void => {
      subscriber.error(new TransportError('ABORT_ERR', `connect to ${target} aborted`, { cause: signal?.reason }));
    };
    // Infinity waits for ever: setTimeout would clamp it to 1 ms (with a TimeoutOverflowWarning).
    const timer =
      timeout === Infinity
        ? undefined
        : setTimeout(() => {
            subscriber.error(new TransportError('ETIMEDOUT', `connect to ${target} timed out after ${timeout} ms`));
          }, timeout);
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off(readyEvent, onReady);
      socket.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    socket.once(readyEvent, onReady);
    socket.on('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    return () => {
      cleanup();
      socket.off('close', onClose);
      if (!connected) {
        socket.on('error', ignore);
        socket.destroy();
      }
    };
  });
};
