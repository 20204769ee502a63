/**
 * The plumbing the RxJS helpers of the option modules share: following an option's state on a connection,
 * reading its subnegotiations, answering the peer's `SEND` requests, holding an option on for the life of a
 * subscription.
 *
 * @internal Not part of the package's public exports.
 */
import * as E from '#fp-ts/Either';
import { filter, map, Observable, type OperatorFunction, type Subscription, takeUntil, tap, throwIfEmpty } from 'rxjs';
import { ConnectionClosedError } from '../negotiation/errors.js';
import type { Side } from '../negotiation/q-method.js';
import type { PayloadError } from '../options/payload-error.js';
import { listenOptions, listenSubnegotiations } from '../session/connection.js';
import type { OptionState, TelnetConnection } from '../session/connection.js';

/**
 * Where an option must be in effect: on one side, or on `'either'` (GMCP, MSDP: one side offers, both send).
 *
 * @internal
 */
export type OptionSides = Side | 'either';

const OFF: OptionState = { local: false, remote: false };

const enabledIn = (state: OptionState, sides: OptionSides): boolean =>
  sides === 'either' ? state.local || state.remote : state[sides];

/**
 * Whether `option` is in effect on `sides` right now.
 *
 * @internal
 */
export const isEnabledOn = (connection: TelnetConnection, option: number, sides: OptionSides): boolean =>
  sides === 'either'
    ? connection.isEnabled('local', option) || connection.isEnabled('remote', option)
    : connection.isEnabled(sides, option);

/**
 * Runs `project()` each time `option` becomes enabled on `sides` and unsubscribes from it when the option is
 * disabled; completes when the connection closes (its `options$` completes). It listens to the connection's
 * option states under its own subscription, with no subscription of its own to `options$` and none per
 * operator: a server holds one of these per helper and connection.
 *
 * @internal
 */
export const whileEnabled = <T>(
  connection: TelnetConnection,
  option: number,
  sides: OptionSides,
  project: () => Observable<T>,
): Observable<T> =>
  new Observable<T>((subscriber) => {
    let enabled = false;
    /** Counts the turns on and off, so that a turn made while `project()` subscribes wins over it. */
    let turns = 0;
    let running: Subscription | undefined;
    const stop = listenOptions(connection, {
      next: (all) => {
        const now = enabledIn(all.get(option) ?? OFF, sides);
        if (now === enabled) return;
        enabled = now;
        const turn = ++turns;
        running?.unsubscribe();
        running = undefined;
        if (!now) return;
        const started = project().subscribe({
          next: (value) => {
            subscriber.next(value);
          },
          error: (error: unknown) => {
            subscriber.error(error);
          },
        });
        if (turn === turns) running = started;
        else started.unsubscribe();
      },
      complete: () => {
        subscriber.complete();
      },
    });
    return () => {
      stop();
      running?.unsubscribe();
    };
  });

const asIs = <T>(payload: T): T => payload;

/**
 * The payloads of the subnegotiations of `option` that arrive while it is in effect on `sides`, through
 * `decode` when given (what it throws errors the stream); the others are ignored (a peer may not subnegotiate
 * an option it has not agreed to). Completes when the connection closes. One subscription: it listens to the
 * connection's subnegotiations under its own, and decodes without an operator.
 *
 * @internal
 */
export function payloadsOf(connection: TelnetConnection, option: number, sides: OptionSides): Observable<Uint8Array>;
export function payloadsOf<T>(
  connection: TelnetConnection,
  option: number,
  sides: OptionSides,
  decode: (payload: Uint8Array) => T,
): Observable<T>;
export function payloadsOf<T>(
  connection: TelnetConnection,
  option: number,
  sides: OptionSides,
  decode: (payload: Uint8Array) => T | Uint8Array = asIs,
): Observable<T | Uint8Array> {
  return new Observable<T | Uint8Array>((subscriber) =>
    listenSubnegotiations(connection, option, {
      next: (event) => {
        if (!isEnabledOn(connection, option, sides)) return;
        let value: T | Uint8Array;
        try {
          value = decode(event.payload);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        subscriber.next(value);
      },
      complete: () => {
        subscriber.complete();
      },
    }),
  );
}

/**
 * Subscribes to `replies`, then sends `request` as a subnegotiation of `option`, on each subscription: a reply
 * the peer sends at once cannot arrive before we listen. Unsubscribing stops listening (nothing is taken back).
 *
 * @internal
 */
export const listenThenRequest = <T>(
  connection: TelnetConnection,
  option: number,
  request: Uint8Array,
  replies: Observable<T>,
): Observable<T> =>
  new Observable<T>((subscriber) => {
    const subscription = replies.subscribe(subscriber);
    connection.requestNegotiation(option, request);
    return subscription;
  });

/**
 * The `Send` variant of a decoded payload type.
 *
 * @internal
 */
export type SendOf<M> = Extract<M, { readonly _tag: 'Send' }>;

/**
 * One answer to a `SEND`: the `IS` payload sent to the peer, and the value emitted for it.
 *
 * @internal
 */
export interface SendAnswer<A> {
  readonly payload: Uint8Array;
  readonly value: A;
}

/**
 * The answering side of a request/answer option (TTYPE, TSPEED, XDISPLOC, NEW-ENVIRON, STATUS): while `option`
 * is in effect on our side, decodes each of its subnegotiations with `decode` and turns the `SEND` requests
 * into answers with `answers`; sends each answer's payload, then emits its value. Malformed payloads and
 * anything but `SEND` are ignored.
 *
 * `answers` is applied anew each time the option is enabled, so state kept in it (a `scan`) belongs to one
 * subscription and starts over when the option is turned off and on again. Cold; completes when the
 * connection closes.
 *
 * @internal
 */
export const answerEachSend = <M extends { readonly _tag: string }, A>(
  connection: TelnetConnection,
  option: number,
  decode: (payload: Uint8Array) => E.Either<PayloadError, M>,
  answers: OperatorFunction<SendOf<M>, SendAnswer<A>>,
): Observable<A> =>
  whileEnabled(connection, option, 'local', () =>
    connection.subnegotiations$(option).pipe(
      map((event) => decode(event.payload)),
      filter((message): message is E.Right<SendOf<M>> => E.isRight(message) && message.right._tag === 'Send'),
      map((message) => message.right),
      answers,
      tap((answer) => {
        connection.requestNegotiation(option, answer.payload);
      }),
      map((answer) => answer.value),
    ),
  );

/**
 * For one-shot requests: completes with the source, and errors with {@link ConnectionClosedError} when the
 * connection closes before the source emitted.
 *
 * @internal
 */
export const settleBeforeClose =
  (connection: TelnetConnection, option: number, side: Side) =>
  <T>(source: Observable<T>): Observable<T> =>
    source.pipe(
      takeUntil(connection.closed$),
      throwIfEmpty(() => new ConnectionClosedError(option, side)),
    );

const ignore = (): void => undefined;

/**
 * Turns `option` on on `side` (`will` or `do`) for as long as the subscription lasts: emits once when it is
 * in effect, forwards a refusal as an error, and on unsubscribe turns it off again (`wont` or `dont`) unless it
 * was already on before. Completes when the connection closes.
 *
 * @internal
 */
export const holdOption = (connection: TelnetConnection, side: Side, option: number): Observable<void> =>
  new Observable<void>((subscriber) => {
    if (connection.isEnabled(side, option)) {
      subscriber.next();
      return connection.closed$.subscribe(() => {
        subscriber.complete();
      });
    }
    const request = side === 'local' ? connection.will(option) : connection.do(option);
    const requested = request.subscribe({
      next: () => {
        subscriber.next();
      },
      error: (error: unknown) => {
        subscriber.error(error);
      },
    });
    const closed = connection.closed$.subscribe(() => {
      subscriber.complete();
    });
    return () => {
      requested.unsubscribe();
      closed.unsubscribe();
      // Undo our request, even one still waiting for its answer (RFC 1143 queues the opposite request).
      // A refused or already-undone option answers AlreadyDisabled with nothing sent: nothing to do then.
      const undo = side === 'local' ? connection.wont(option) : connection.dont(option);
      undo.subscribe({ error: ignore });
    };
  });
