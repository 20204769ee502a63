import type { Socket } from 'node:net';
import { Observable } from 'rxjs';
import { singleSubscriberInput } from '../single-subscriber-input.js';
import type { Transport } from '../types.js';
import { remoteAddressOf, toAddress } from './socket-address.js';
import { TransportError } from '../../negotiation/errors.js';
import { toTransportError } from './transport-error.js';
import { timeoutOption } from '../../protocol/durations.js';

/**
 * Tuning of {@link socketTransport}.
 *
 * @example
 * ```ts
 * import type { SocketTransportOptions } from 'rxtelnet/node';
 * const impatient: SocketTransportOptions = { closeTimeout: 1_000 };
 * ```
 */
export interface SocketTransportOptions {
  /**
   * How long `close()` waits for our output to be flushed and for the peer to close its side before the socket
   * is destroyed, in ms. Default 5 000; `Infinity` waits for ever; 0, a negative or NaN value is a RangeError.
   */
  readonly closeTimeout?: number;
  /**
   * TCP_NODELAY: send each write at once instead of waiting (Nagle) for the peer's ACK of the previous one.
   * Default `true`, as interactive Telnet wants: with Nagle, a reply written in several parts waits for the
   * peer's delayed ACK (about 40 ms a round trip). The writes of one tick are coalesced into one socket write
   * either way.
   */
  readonly noDelay?: boolean;
}

const defaultCloseTimeout = 5_000;
const ignore = (): undefined => undefined;

/**
 * Wraps a connected Node socket (`net.Socket` or `tls.TLSSocket`) as a {@link Transport}.
 *
 * - `input` emits the socket's chunks as they are (a `Buffer` is a `Uint8Array`: no copy; each is new, so the
 *   transport says `freshInput` and the connection decodes them in place: another `'data'` listener of the socket
 *   sees a chunk as it arrived during its own call only), completes when the
 *   peer closes (`'end'`) or the socket is closed, and errors with a {@link TransportError} on a socket error.
 *   It must be subscribed **once** (the connection does it); a second subscription errors with code
 *   `'ERR_INPUT_ALREADY_SUBSCRIBED'`. The socket is paused from the moment it is wrapped until that subscription,
 *   so bytes that arrive in between wait in the socket and are not lost. Unsubscribing pauses the socket again
 *   without closing it: `close()` does that.
 * - Backpressure, reading: `pause()` stops reading from the socket (`socket.pause()`): the kernel buffers fill,
 *   TCP flow control slows the peer down. `resume()` reads again.
 * - Latency: the socket is set to TCP_NODELAY (unless `noDelay: false`), and the writes of one tick are
 *   coalesced: the first (smaller than the socket's high-water mark) corks the socket, which is uncorked on the
 *   next tick, so they leave as one write; or as soon as they reach the high-water mark, so that `write` says
 *   whether the system took them (a corked socket would say `false` at every mark's worth).
 * - Backpressure, writing: `write` returns `socket.write`'s answer, `false` once the socket's buffer is past its
 *   high-water mark. `drain` then emits once when the buffer has emptied (at once if it is already below the
 *   mark) and completes; it completes without emitting if the socket closes first.
 * - `close()` ends the socket (what was written is flushed, then a FIN is sent). Once the FIN is sent, `input`
 *   completes: what the peer sends after it is read and dropped until it closes its side, and if it has not
 *   `closeTimeout` ms after `close()`, the socket is destroyed. Writes after `close()` are dropped and return
 *   `false`. `abort()` destroys the socket at once, with what it still buffers.
 * - `bufferedBytes()` is the socket's `writableLength`. A socket opened with `allowHalfOpen` (as `connectTcp` and
 *   `listenTcp` do) stays writable after the peer's FIN until `close()`.
 *
 * {@link connectTcp}, {@link listenTcp}, {@link connectTls} and {@link listenTls} use it; call it yourself for
 * a socket you opened another way.
 *
 * @example
 * ```ts
 * import { connect } from 'node:net';
 * import { socketTransport } from 'rxtelnet/node';
 * const socket = connect({ host: 'localhost', port: 4000 });
 * socket.once('connect', () => {
 *   const transport = socketTransport(socket);
 *   transport.input.subscribe({ next: (bytes) => console.log(bytes.length), complete: () => console.log('closed') });
 *   transport.write(new TextEncoder().encode('look\r\n'));
 * });
 * ```
 */
export const socketTransport = (socket: Socket, options: SocketTransportOptions = {}): Transport => {
  const closeTimeout = timeoutOption('closeTimeout', options.closeTimeout, defaultCloseTimeout);
  let failure: TransportError | undefined;
  let closed = socket.destroyed;
  let reading = false;
  let pausedByConsumer = false;
  let closing = false;
  let graceTimer: NodeJS.Timeout | undefined;
  let corked = false;
  let uncorkScheduled = false;
  const uncork = (): void => {
    if (!corked) return;
    corked = false;
    socket.uncork();
  };
  const uncorkAtTickEnd = (): void => {
    uncorkScheduled = false;
    uncork();
  };
  const write = (bytes: Uint8Array): boolean => {
    // Only small writes cork: a large one gains nothing, and goes to the kernel at once as before.
    if (!corked && bytes.length < socket.writableHighWaterMark) {
      corked = true;
      socket.cork();
      if (!uncorkScheduled) {
        uncorkScheduled = true;
        process.nextTick(uncorkAtTickEnd);
      }
    }
    const writable = socket.write(bytes);
    if (writable || !corked) return writable;
    // The writes of this tick reached the high-water mark: they go to the system now rather than at the end of the
    // tick, and the answer is whether it took them (a corked socket would say `false` at every mark's worth).
    uncork();
    return socket.writableLength < socket.writableHighWaterMark;
  };

  const feed = singleSubscriberInput({
    refuse: () =>
      new TransportError('ERR_INPUT_ALREADY_SUBSCRIBED', 'the input of a socket transport is subscribed only once'),
    start: () => {
      // A socket that failed (its 'close' is yet to come) or was closed before it was wrapped ends at once.
      if (failure !== undefined) {
        feed.error(failure);
      } else if (closed) {
        feed.complete();
      } else {
        socket.on('data', feed.next);
        socket.once('end', feed.complete);
        reading = true;
        if (!pausedByConsumer) socket.resume();
      }
    },
    stop: () => {
      if (!reading) return;
      reading = false;
      socket.off('data', feed.next);
      socket.off('end', feed.complete);
      socket.pause();
    },
  });

  socket.pause();
  if (!closed) socket.setNoDelay(options.noDelay ?? true);
  // Registered first and never removed: records the error for a late subscriber and keeps an unread socket's
  // error from crashing the process.
  socket.on('error', (error) => {
    failure ??= toTransportError(error);
  });
  socket.once('close', () => {
    closed = true;
    clearTimeout(graceTimer);
    if (failure === undefined) feed.complete();
    else feed.error(failure);
  });

  const drain = new Observable<void>((subscriber) => {
    if (closed || socket.writableEnded) {
      subscriber.complete();
      return undefined;
    }
    if (!socket.writableNeedDrain) {
      subscriber.next();
      subscriber.complete();
      return undefined;
    }
    const onDrain = (): void => {
      subscriber.next();
      subscriber.complete();
    };
    const onClose = (): void => {
      subscriber.complete();
    };
    socket.once('drain', onDrain);
    socket.once('close', onClose);
    return () => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
    };
  });

  return {
    input: feed.input,
    freshInput: true, // Node allocates each read anew and hands it to the one 'data' listener
    drain,
    write: (bytes) => (closing || closed || socket.writableEnded ? false : write(bytes)),
    bufferedBytes: () => (closed ? 0 : socket.writableLength),
    close: () => {
      if (closing || closed) return;
      closing = true;
      // Once our output is flushed and our FIN sent, the input ends: what the peer sends after it is read and
      // dropped (so that its FIN is seen, and closing does not reset the connection under our last bytes).
      socket.once('finish', () => {
        feed.complete();
        socket.on('data', ignore);
        socket.resume();
      });
      socket.end();
      // Nobody reads: read (and drop) what is left so that the peer's FIN is seen and the socket can close.
      if (!reading) socket.resume();
      if (closeTimeout !== Infinity) {
        graceTimer = setTimeout(() => socket.destroy(), closeTimeout);
        graceTimer.unref();
      }
    },
    abort: () => {
      if (closed) return;
      closing = true;
      socket.destroy();
    },
    pause: () => {
      pausedByConsumer = true;
      if (!socket.writableFinished) socket.pause();
    },
    resume: () => {
      pausedByConsumer = false;
      if (reading && !socket.writableFinished) socket.resume();
    },
    host: toAddress(socket.address()),
    peer: remoteAddressOf(socket),
  };
};
