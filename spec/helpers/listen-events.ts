/**
 * Runs a listen stream (`listenTcp`, `listenTls`, `listenTelnet`) for a spec: resolves with its port once it
 * listens, and keeps what it accepted and refused, with a wait on either.
 */
import type { Observable } from 'rxjs';
import type { Refused } from '../../src/transport/node/listen-server.js';
import type { Address } from '../../src/transport/types.js';

/** The events every listen stream emits besides its accepted connections. */
type ServerEvent = { readonly _tag: 'Listening'; readonly address: Address } | Refused | { readonly _tag: 'Connected' };

export interface RunningServer<A> {
  readonly port: number;
  readonly accepted: A[];
  readonly refused: Refused[];
  /** Resolves once `ready()` holds: checked now and after each event. */
  readonly until: (ready: () => boolean) => Promise<void>;
  readonly acceptedCount: (count: number) => Promise<void>;
  readonly refusedCount: (count: number) => Promise<void>;
  /** Stops listening. */
  readonly stop: () => void;
}

const isListening = (event: ServerEvent): event is Extract<ServerEvent, { _tag: 'Listening' }> =>
  event._tag === 'Listening';
const isRefused = (event: ServerEvent): event is Refused => event._tag === 'Refused';

/**
 * Subscribes to `events`; `accept` turns each accepted connection event into what the spec keeps (undefined:
 * nothing). The subscription is ended by the cleanup pushed on `cleanups`.
 */
export const runServer = <E extends ServerEvent, A>(
  events: Observable<E>,
  accept: (event: E) => A | undefined,
  cleanups: (() => void)[],
): Promise<RunningServer<A>> =>
  new Promise((resolve, reject) => {
    const accepted: A[] = [];
    const refused: Refused[] = [];
    const waiters: (() => void)[] = [];
    const until = (ready: () => boolean): Promise<void> =>
      new Promise((resolveWait) => {
        const check = (): void => {
          if (ready()) resolveWait();
          else waiters.push(check);
        };
        check();
      });
    const subscription = events.subscribe({
      next: (event) => {
        if (isListening(event)) {
          resolve({
            port: event.address.port,
            accepted,
            refused,
            until,
            acceptedCount: (count) => until(() => accepted.length >= count),
            refusedCount: (count) => until(() => refused.length >= count),
            stop: () => {
              subscription.unsubscribe();
            },
          });
          return;
        }
        if (isRefused(event)) refused.push(event);
        else {
          const item = accept(event);
          if (item !== undefined) accepted.push(item);
        }
        for (const waiter of waiters.splice(0)) waiter();
      },
      error: reject,
    });
    cleanups.push(() => {
      subscription.unsubscribe();
    });
  });
