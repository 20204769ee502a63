/**
 * STATUS (RFC 859) over a connection: answer the peer's SEND with the options in effect, and ask for the
 * peer's view. The payload codec is in `options/status`.
 */
import * as E from '#fp-ts/Either';
import { filter, map, type Observable, take, withLatestFrom } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { OptionState, TelnetConnection } from '../session/connection.js';
import { answerEachSend, listenThenRequest, payloadsOf, settleBeforeClose, whileEnabled } from './option-streams.js';
import { type PayloadError } from '../options/payload-error.js';
import { type StatusReport, decodeStatus, encodeStatusIs, encodeStatusSend } from '../options/status.js';

/** The options in effect on each side, from a snapshot of the connection's option states. */
const reportOf = (states: ReadonlyMap<number, OptionState>): StatusReport => {
  const local: number[] = [];
  const remote: number[] = [];
  for (const [option, state] of [...states].sort(([a], [b]) => a - b)) {
    if (state.local) local.push(option);
    if (state.remote) remote.push(option);
  }
  return { local, remote, subnegotiations: [] };
};

/**
 * The side that performs STATUS: answers each `SEND` that arrives while STATUS is in effect on our side with
 * `IS`, listing the options in effect now (`WILL` for ours, `DO` for the peer's). Emits each report sent;
 * completes when the connection closes. Accept STATUS in the policy (`local`) or offer it with
 * `will(TelnetOption.STATUS)`.
 *
 * @example
 * ```ts
 * import { answerStatus, createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.STATUS, TelnetOption.ECHO] }) });
 * answerStatus(connection).subscribe((report) => console.log('told the peer', report.local, report.remote));
 * ```
 */
export const answerStatus = (connection: TelnetConnection): Observable<StatusReport> =>
  answerEachSend(connection, TelnetOption.STATUS, decodeStatus, (sends) =>
    sends.pipe(
      withLatestFrom(connection.options$),
      map(([, states]) => {
        const report = reportOf(states);
        return { payload: encodeStatusIs(report), value: report };
      }),
    ),
  );

/** The report in an `IS` payload, a `Left` for a malformed payload, `undefined` for a `SEND`. */
const reportIn = (payload: Uint8Array): E.Either<PayloadError, StatusReport> | undefined => {
  const message = decodeStatus(payload);
  if (E.isLeft(message)) return message;
  if (message.right._tag === 'Send') return undefined;
  const { local, remote, subnegotiations } = message.right;
  return E.right({ local, remote, subnegotiations });
};

/**
 * The side that asks: once STATUS is in effect on the peer's side, sends `SEND` and emits the peer's `IS`
 * report, decoded (a malformed one is a `Left`), then completes. Errors with `ConnectionClosedError` if the
 * connection closes first. Ask for STATUS with `do(TelnetOption.STATUS)` or accept it in the policy (`remote`).
 *
 * @example
 * ```ts
 * import { createConnection, TelnetOption, policyOf, requestStatus } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ remote: [TelnetOption.STATUS] }) });
 * requestStatus(connection).subscribe((report) => console.log(report));
 * ```
 */
export const requestStatus = (connection: TelnetConnection): Observable<E.Either<PayloadError, StatusReport>> =>
  whileEnabled(connection, TelnetOption.STATUS, 'remote', () =>
    listenThenRequest(
      connection,
      TelnetOption.STATUS,
      encodeStatusSend(),
      payloadsOf(connection, TelnetOption.STATUS, 'remote').pipe(
        map(reportIn),
        filter((report) => report !== undefined),
      ),
    ),
  ).pipe(take(1), settleBeforeClose(connection, TelnetOption.STATUS, 'remote'));
