/**
 * Graceful shutdown of a Telnet server: stop listening, say goodbye, close every connection properly, force
 * the stragglers at a deadline.
 *
 * @module
 */
import { asyncScheduler, Observable, take } from 'rxjs';
import type { OperatorFunction, SchedulerLike, Subscription } from 'rxjs';
import { watchConnection } from '../session/connection.js';
import type { TelnetConnection } from '../session/connection.js';
import { timeoutOption } from '../protocol/durations.js';

/**
 * How {@link drainOn} closes the connections.
 *
 * @example
 * ```ts
 * import type { DrainOptions } from 'rxtelnet/node';
 * const options: DrainOptions = { message: '\r\nThe server is restarting: back in a minute.\r\n', deadline: 10_000 };
 * ```
 */
export interface DrainOptions {
  /** Written to every open connection (as `connection.write` writes it) before it is closed. Default: nothing. */
  readonly message?: string | Uint8Array;
  /**
   * Milliseconds the connections have to close properly (output flushed, a compressed stream ended, our FIN
   * sent) before the ones still open are aborted. Default 10 000; `Infinity` waits for ever; 0, negative or NaN:
   * a RangeError.
   */
  readonly deadline?: number;
  /** The scheduler of the deadline. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * The drain began: the server stopped listening and `connections` open ones are closing.
 *
 * @example
 * ```ts
 * import type { Draining } from 'rxtelnet/node';
 * const describe = (event: Draining): string => `closing ${event.connections} connections`;
 * ```
 */
export interface Draining {
  readonly _tag: 'Draining';
  readonly connections: number;
}

/**
 * The drain is over, every connection closed: `graceful` ones closed before the deadline, `forced` ones were
 * aborted at it. The stream completes after it.
 *
 * @example
 * ```ts
 * import type { Drained } from 'rxtelnet/node';
 * const describe = (event: Drained): string => `${event.graceful} closed, ${event.forced} forced`;
 * ```
 */
export interface Drained {
  readonly _tag: 'Drained';
  readonly graceful: number;
  readonly forced: number;
}

/**
 * What a server event stream can carry for {@link drainOn}: `Connected` events with their connection (the
 * ones it closes); any other event passes as it is.
 *
 * @example
 * ```ts
 * import type { DrainableEvent, TelnetServerEvent } from 'rxtelnet/node';
 * const fits = (event: TelnetServerEvent): DrainableEvent => event;
 * ```
 */
export interface DrainableEvent {
  readonly _tag: string;
  readonly connection?: TelnetConnection;
}

const DEFAULT_DEADLINE = 10_000;
const utf8 = new TextEncoder();

/**
 * An operator for a server's event stream (`listenTelnet(...)`) that shuts it down gracefully when `trigger`
 * first emits: it unsubscribes from the server (which stops listening), emits {@link Draining}, writes
 * `message` to every open connection and closes it with `loseConnection` (what was written is flushed, a
 * compressed stream is ended properly), aborts those still open at the `deadline`, then emits {@link Drained}
 * and completes. Until then it passes the server's events on, and remembers each connection until it closes.
 * A `trigger` that completes without emitting never drains. Unsubscribing stops listening and the deadline,
 * as unsubscribing from `listenTelnet` does.
 *
 * @example
 * ```ts
 * import { fromEvent, merge } from 'rxjs';
 * import { listenTelnet, drainOn } from 'rxtelnet/node';
 *
 * const stop = merge(fromEvent(process, 'SIGTERM'), fromEvent(process, 'SIGINT'));
 * listenTelnet({ port: 4000 })
 *   .pipe(drainOn(stop, { message: '\r\nShutting down, see you soon.\r\n', deadline: 10_000 }))
 *   .subscribe({
 *     next: (event) => {
 *       if (event._tag === 'Connected') event.connection.write('Welcome!\r\n');
 *       else if (event._tag === 'Drained') console.log(`${event.graceful} closed, ${event.forced} forced`);
 *     },
 *     complete: () => process.exit(0),
 *   });
 * ```
 */
export const drainOn = <E extends DrainableEvent>(
  trigger: Observable<unknown>,
  options: DrainOptions = {},
): OperatorFunction<E, E | Draining | Drained> => {
  const deadline = timeoutOption('deadline', options.deadline, DEFAULT_DEADLINE);
  const scheduler = options.scheduler ?? asyncScheduler;
  const message = typeof options.message === 'string' ? utf8.encode(options.message) : options.message;
  return (events) =>
    new Observable<E | Draining | Drained>((subscriber) => {
      const open = new Set<TelnetConnection>();
      let deadlineTimer: Subscription | undefined;
      let draining = false;
      let graceful = 0;
      let forced = 0;
      const finishIfDone = (): void => {
        if (!draining || open.size > 0 || subscriber.closed) return;
        subscriber.next({ _tag: 'Drained', graceful, forced });
        subscriber.complete();
      };
      // The watch ends with its connection: keeping a handle on it would grow with every connection the server
      // ever had.
      const track = (connection: TelnetConnection): void => {
        open.add(connection);
        watchConnection(connection, {
          ended: () => {
            if (!open.delete(connection)) return;
            if (draining) graceful++;
            finishIfDone();
          },
        });
      };
      const server = events.subscribe({
        next: (event) => {
          if (event._tag === 'Connected' && event.connection !== undefined) track(event.connection);
          subscriber.next(event);
        },
        error: (error: unknown) => {
          subscriber.error(error);
        },
        complete: () => {
          if (!draining) subscriber.complete();
        },
      });
      const drain = (): void => {
        server.unsubscribe();
        draining = true;
        subscriber.next({ _tag: 'Draining', connections: open.size });
        for (const connection of [...open]) {
          if (message !== undefined) connection.write(message);
          connection.loseConnection();
        }
        if (deadline !== Infinity && open.size > 0) {
          deadlineTimer = scheduler.schedule(() => {
            for (const connection of [...open]) {
              open.delete(connection);
              forced++;
              connection.abort();
            }
            finishIfDone();
          }, deadline);
        }
        finishIfDone();
      };
      const triggered = trigger.pipe(take(1)).subscribe(drain);
      return () => {
        triggered.unsubscribe();
        server.unsubscribe();
        deadlineTimer?.unsubscribe();
      };
    });
};
