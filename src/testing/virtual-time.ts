import equal from 'fast-deep-equal/es6/index.js';
import { asyncScheduler, type Observable } from 'rxjs';
import { type RunHelpers, TestScheduler } from 'rxjs/testing';
import { createConnection, type ConnectionOptions, type TelnetConnection } from '../session/connection.js';
import { type PeerReport, scriptedPeer, type ScriptedPeer, type ScriptedPeerOptions } from './scripted-peer.js';
import type { PeerStep } from './steps.js';

/**
 * What a virtual-time body gets: the `TestScheduler` (give it as `scheduler` where an option takes one) and
 * its run helpers (`cold`, `hot`, `expectObservable`, `flush`, `time`...).
 *
 * @example
 * ```ts
 * import type { VirtualTime } from 'rxtelnet/testing';
 * const now = (context: VirtualTime): number => context.scheduler.now();
 * ```
 */
export interface VirtualTime {
  readonly scheduler: TestScheduler;
  readonly helpers: RunHelpers;
}

/** `expectObservable` failures: what the marbles expected and what happened, as JSON. */
const throwUnlessEqual = (actual: unknown, expected: unknown): void => {
  if (!equal(actual, expected)) {
    throw new Error(
      `Virtual-time assertion failed\n  expected: ${JSON.stringify(expected)}\n  actual:   ${JSON.stringify(actual)}`,
    );
  }
};

/**
 * Runs `body` inside `TestScheduler.run`: every rxjs timer (the library's timeouts, `lines()` idle prompts,
 * `ready$`, expect timeouts, a scripted peer's waits) runs in virtual time, at once and deterministically, and
 * everything scheduled is flushed before it returns `body`'s result. `assertDeepEqual` compares for
 * `expectObservable` (default: a structural comparison that throws an `Error` showing both as JSON; pass your
 * runner's, e.g. vitest's `expect(a).toEqual(b)`). Promises and `await` do not advance virtual time: subscribe,
 * then assert on what was recorded after this returns.
 *
 * @example
 * ```ts
 * import { timer } from 'rxjs';
 * import { runInVirtualTime, record } from 'rxtelnet/testing';
 * const fired = runInVirtualTime(({ scheduler }) => record(timer(60_000, scheduler)));
 * fired.times; // [60000]
 * ```
 */
export const runInVirtualTime = <T>(
  body: (context: VirtualTime) => T,
  assertDeepEqual: (actual: unknown, expected: unknown) => void = throwUnlessEqual,
): T => {
  const scheduler = new TestScheduler(assertDeepEqual);
  let result: { readonly value: T } | undefined;
  scheduler.run((helpers) => {
    result = { value: body({ scheduler, helpers }) };
  });
  if (result === undefined) throw new Error('runInVirtualTime: the body did not run');
  return result.value;
};

/**
 * What {@link record} saw of an Observable: its values and their virtual (or real) times, its error, and
 * whether it completed. It fills in as the Observable runs.
 *
 * @example
 * ```ts
 * import type { Recording } from 'rxtelnet/testing';
 * const last = <T>(recording: Recording<T>): T | undefined => recording.values.at(-1);
 * ```
 */
export interface Recording<T> {
  readonly values: readonly T[];
  /** The scheduler's `now()` at each value. */
  readonly times: readonly number[];
  readonly error: unknown;
  readonly completed: boolean;
  /** The scheduler's `now()` when it completed or errored. */
  readonly endedAt: number | undefined;
  /** Stops recording (unsubscribes). */
  readonly stop: () => void;
}

/**
 * Subscribes to `source` and records what it does, for assertions after the fact (any test runner). Times
 * are read from `clock` (default `asyncScheduler`: virtual inside {@link runInVirtualTime}, `Date.now` elsewhere).
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { record } from 'rxtelnet/testing';
 * const recording = record(of(1, 2));
 * recording.values; // [1, 2]
 * recording.completed; // true
 * ```
 */
export const record = <T>(source: Observable<T>, clock: { now(): number } = asyncScheduler): Recording<T> => {
  const values: T[] = [];
  const times: number[] = [];
  const state: { error: unknown; completed: boolean; endedAt: number | undefined } = {
    error: undefined,
    completed: false,
    endedAt: undefined,
  };
  const subscription = source.subscribe({
    next: (value) => {
      values.push(value);
      times.push(clock.now());
    },
    error: (error: unknown) => {
      state.error = error;
      state.endedAt = clock.now();
    },
    complete: () => {
      state.completed = true;
      state.endedAt = clock.now();
    },
  });
  return {
    values,
    times,
    get error() {
      return state.error;
    },
    get completed() {
      return state.completed;
    },
    get endedAt() {
      return state.endedAt;
    },
    stop: () => {
      subscription.unsubscribe();
    },
  };
};

/**
 * The outcome of {@link testConnection}: what the body returned, the peer's report, and the connection.
 *
 * @example
 * ```ts
 * import type { ConnectionTest } from 'rxtelnet/testing';
 * const unread = (test: ConnectionTest<void>): number => test.report.unread.length;
 * ```
 */
export interface ConnectionTest<T> {
  readonly value: T;
  readonly report: PeerReport;
  readonly connection: TelnetConnection;
}

/**
 * Runs a connection against a {@link scriptedPeer} playing `steps`, in virtual time: `body` gets the connection
 * (made with `options.connection` and the test's scheduler) and sets up what the test drives. Once virtual time
 * has run out, it throws the peer's `ScriptMismatchError` or `ScriptTimeoutError` if the script failed or did
 * not finish, and otherwise returns the body's value with the peer's report.
 *
 * @example
 * ```ts
 * import { createExpect } from 'rxtelnet';
 * import { expectText, record, sendText, testConnection } from 'rxtelnet/testing';
 * const { value } = testConnection([sendText('login: '), expectText('admin\r\n'), sendText('$ ')], {}, (connection) => {
 *   const dialogue = createExpect(connection);
 *   return record(dialogue.login({ user: 'admin', password: 'secret', prompt: '$ ' }));
 * });
 * value.completed; // true
 * ```
 */
export const testConnection = <T>(
  steps: readonly PeerStep[],
  options: Omit<ScriptedPeerOptions, 'scheduler'> & { readonly connection?: Omit<ConnectionOptions, 'scheduler'> },
  body: (connection: TelnetConnection, context: VirtualTime & { readonly peer: ScriptedPeer }) => T,
): ConnectionTest<T> => {
  let connection: TelnetConnection | undefined;
  let peer: ScriptedPeer | undefined;
  const value = runInVirtualTime((context) => {
    peer = scriptedPeer(steps, { ...options, scheduler: context.scheduler });
    connection = createConnection(peer.transport, { ...options.connection, scheduler: context.scheduler });
    return body(connection, { ...context, peer });
  });
  if (peer === undefined || connection === undefined) throw new Error('testConnection: the body did not run');
  return { value, report: peer.check(), connection };
};
