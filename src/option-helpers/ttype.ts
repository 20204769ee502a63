/**
 * TERMINAL-TYPE (RFC 1091) and MTTS over a connection: the client answers each SEND with its next name, the
 * server collects the client's list. The payload codec and the pure answer/collect steps are in `options/ttype`.
 */
import * as E from '#fp-ts/Either';
import { asyncScheduler, map, Observable, type SchedulerLike, scan, take, throwError, timeout } from 'rxjs';
import { NegotiationTimeoutError } from '../negotiation/errors.js';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { answerEachSend, listenThenRequest, settleBeforeClose, whileEnabled } from './option-streams.js';
import {
  MAX_TTYPE_ANSWERS,
  type TtypeReport,
  collectTtype,
  decodeTtype,
  encodeTtypeIs,
  encodeTtypeSend,
  initialTtypeCollection,
  nextTtypeAnswer,
  ttypeAnswers,
} from '../options/ttype.js';

/**
 * The client side of TTYPE: answers each `SEND` that arrives while TTYPE is in effect on our side with the next
 * of `names` (`IS name`), repeating the last one once the list is exhausted ({@link nextTtypeAnswer}). The list
 * starts over each time TTYPE is enabled anew, so a server that wants the list again sends `DONT TTYPE`, then
 * `DO TTYPE`. For MTTS, pass `mttsTerminalTypes`: client name, terminal type, `MTTS <bits>`.
 *
 * Cold: answers while subscribed; emits each name sent; completes when the connection closes. Accept TTYPE in
 * the policy (`local`) or offer it with `will(TelnetOption.TTYPE)`.
 *
 * @example
 * ```ts
 * import { answerTerminalType, createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import { mttsFromBits, mttsTerminalTypes, MttsBit } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.TTYPE] }) });
 * const flags = mttsFromBits(MttsBit.ansi | MttsBit.utf8 | MttsBit.colors256 | MttsBit.truecolor);
 * answerTerminalType(connection, mttsTerminalTypes('MYCLIENT', 'XTERM-256COLOR', flags)).subscribe((name) => {
 *   console.log(`told the server: ${name}`);
 * });
 * ```
 */
export const answerTerminalType = (
  connection: TelnetConnection,
  names: readonly [string, ...string[]],
): Observable<string> =>
  answerEachSend(connection, TelnetOption.TTYPE, decodeTtype, (sends) =>
    sends.pipe(
      // The seed's name is never sent: each SEND replaces it with the next answer.
      scan(([, answers]) => nextTtypeAnswer(answers), [names[0], ttypeAnswers(names)] as const),
      map(([name]) => ({ payload: encodeTtypeIs(name), value: name })),
    ),
  );

/**
 * Options of {@link requestTerminalTypes}.
 *
 * @example
 * ```ts
 * import type { RequestTerminalTypesOptions } from 'rxtelnet';
 * const options: RequestTerminalTypesOptions = { timeout: 5000, maxAnswers: 4 };
 * ```
 */
export interface RequestTerminalTypesOptions {
  /**
   * Milliseconds from subscription to the report, waiting for the peer's `WILL TTYPE` included; past it the
   * Observable errors with a `NegotiationTimeoutError` for TTYPE (remote). Default 10000.
   */
  readonly timeout?: number;
  /** How many names to collect at most ({@link collectTtype}). Default {@link MAX_TTYPE_ANSWERS}. */
  readonly maxAnswers?: number;
  /** The scheduler of the timeout. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

const DEFAULT_TTYPE_TIMEOUT = 10_000;

/** Sends SEND, and again after each new name, until {@link collectTtype} completes. */
const collectTerminalTypes = (connection: TelnetConnection, maxAnswers: number): Observable<TtypeReport> =>
  listenThenRequest(
    connection,
    TelnetOption.TTYPE,
    encodeTtypeSend(),
    new Observable<TtypeReport>((subscriber) => {
      let collection = initialTtypeCollection;
      return connection.subnegotiations$(TelnetOption.TTYPE).subscribe((event) => {
        const message = decodeTtype(event.payload);
        if (E.isLeft(message) || message.right._tag !== 'Is') return;
        const step = collectTtype(collection, message.right.name, maxAnswers);
        if (step._tag === 'Complete') {
          subscriber.next(step.report);
          subscriber.complete();
        } else {
          collection = step.state;
          connection.requestNegotiation(TelnetOption.TTYPE, encodeTtypeSend());
        }
      });
    }),
  );

/**
 * The server side of TTYPE: once TTYPE is in effect on the peer's side (its `WILL TTYPE`, asked for with
 * `do(TelnetOption.TTYPE)` or accepted by the policy), sends `SEND` and asks again after each new name until a name
 * repeats or `maxAnswers` were collected; then emits one {@link TtypeReport} (names, client name, terminal type,
 * MTTS flags) and completes. Malformed answers are ignored. If TTYPE is turned off meanwhile, the collection
 * starts over when it is on again.
 *
 * Errors with `NegotiationTimeoutError` (TTYPE, remote) after `options.timeout`, and with
 * `ConnectionClosedError` when the connection closes first. The names are `UntrustedString`s.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { createConnection, TelnetOption, requestTerminalTypes } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport);
 * const report = firstValueFrom(requestTerminalTypes(connection, { timeout: 5000 }));
 * connection.do(TelnetOption.TTYPE).subscribe({ error: () => undefined });
 * const { clientName, terminalType, mtts } = await report;
 * console.log(clientName, terminalType, mtts?.utf8 ?? false);
 * ```
 */
export const requestTerminalTypes = (
  connection: TelnetConnection,
  options: RequestTerminalTypesOptions = {},
): Observable<TtypeReport> => {
  const limit = options.timeout ?? DEFAULT_TTYPE_TIMEOUT;
  const maxAnswers = options.maxAnswers ?? MAX_TTYPE_ANSWERS;
  return whileEnabled(connection, TelnetOption.TTYPE, 'remote', () =>
    collectTerminalTypes(connection, maxAnswers),
  ).pipe(
    take(1),
    settleBeforeClose(connection, TelnetOption.TTYPE, 'remote'),
    timeout({
      first: limit,
      scheduler: options.scheduler ?? asyncScheduler,
      with: () => throwError(() => new NegotiationTimeoutError(TelnetOption.TTYPE, 'remote', limit)),
    }),
  );
};
