/**
 * NEW-ENVIRON (RFC 1572) over a connection: the server asks for variables, the client answers from its own.
 * The payload codec is in `options/new-environ`.
 */
import * as E from '#fp-ts/Either';
import { filter, map, type Observable } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { answerEachSend, listenThenRequest, whileEnabled } from './option-streams.js';
import { type PayloadError } from '../options/payload-error.js';
import { type UntrustedString } from '../options/untrusted-string.js';
import {
  DEFAULT_ENVIRON_LIMITS,
  type EnvironLimits,
  type EnvironMessage,
  type EnvironRequest,
  type EnvironVariable,
  decodeEnviron,
  encodeEnviron,
} from '../options/new-environ.js';

/**
 * What a client reports in NEW-ENVIRON: its answer to `SEND` (`Is`) or a later change (`Info`).
 *
 * @example
 * ```ts
 * import type { EnvironReport } from 'rxtelnet';
 * const count = (report: EnvironReport): number => report.variables.length;
 * ```
 */
export type EnvironReport = Extract<EnvironMessage<UntrustedString>, { readonly _tag: 'Is' | 'Info' }>;

/**
 * The server side of NEW-ENVIRON: each time the option is in effect on the peer's side, sends
 * `SEND request...` (no request: every variable), then emits every `IS` and `INFO` the peer sends, decoded
 * within `limits`; a malformed payload is a `Left` and the stream goes on. Completes when the connection closes.
 *
 * **Security**: names and values are {@link UntrustedString}s chosen by the peer. Never pass them to a
 * program's arguments or environment: GNU inetutils telnetd passed `USER` through to `login`, and
 * `USER='-f root'` logged in as root without a password (CVE-2026-24061). Validate against an allow-list.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { createConnection, TelnetOption, requestEnvironment } from 'rxtelnet';
 * import { MnesVariable } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport);
 * requestEnvironment(connection, [{ kind: 'VAR', name: MnesVariable.CLIENT_NAME }, { kind: 'VAR', name: MnesVariable.CHARSET }])
 *   .subscribe((report) => {
 *     if (E.isRight(report)) for (const v of report.right.variables) console.log(v.name, v.value ?? '(undefined)');
 *   });
 * connection.do(TelnetOption.NEW_ENVIRON).subscribe({ error: () => undefined });
 * ```
 */
export const requestEnvironment = (
  connection: TelnetConnection,
  request: readonly EnvironRequest[] = [],
  limits: EnvironLimits = DEFAULT_ENVIRON_LIMITS,
): Observable<E.Either<PayloadError, EnvironReport>> =>
  whileEnabled(connection, TelnetOption.NEW_ENVIRON, 'remote', () =>
    listenThenRequest(
      connection,
      TelnetOption.NEW_ENVIRON,
      encodeEnviron({ _tag: 'Send', requests: request }),
      connection.subnegotiations$(TelnetOption.NEW_ENVIRON).pipe(
        map((event) => decodeEnviron(event.payload, limits)),
        filter(
          (message): message is E.Either<PayloadError, EnvironReport> =>
            E.isLeft(message) || message.right._tag !== 'Send',
        ),
      ),
    ),
  );

/** The variables a SEND list asks for: all for an empty list; unknown names come back undefined (no VALUE). */
const answerTo = (requests: readonly EnvironRequest[], variables: readonly EnvironVariable[]): EnvironVariable[] => {
  if (requests.length === 0) return [...variables];
  const answer: EnvironVariable[] = [];
  const add = (variable: EnvironVariable): void => {
    if (!answer.some((known) => known.kind === variable.kind && known.name === variable.name)) answer.push(variable);
  };
  for (const request of requests) {
    const { name } = request;
    if (name === undefined) {
      variables.filter((variable) => variable.kind === request.kind).forEach(add);
    } else {
      add(
        variables.find((variable) => variable.kind === request.kind && variable.name === name) ?? {
          kind: request.kind,
          name,
        },
      );
    }
  }
  return answer;
};

/**
 * The client side of NEW-ENVIRON: answers each `SEND` that arrives while the option is in effect on our side
 * with `IS` and the variables it asks for (an empty list, or a type with no name, asks for every variable of
 * `variables`; a name we do not have is answered as undefined, without VALUE). `variables` may be a function,
 * read at each request. Emits the variables of each answer; completes when the connection closes.
 *
 * @example
 * ```ts
 * import { answerEnvironment, createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import { MnesVariable } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.NEW_ENVIRON] }) });
 * answerEnvironment(connection, [
 *   { kind: 'VAR', name: MnesVariable.CLIENT_NAME, value: 'MYCLIENT' },
 *   { kind: 'VAR', name: MnesVariable.CHARSET, value: 'UTF-8' },
 * ]).subscribe();
 * ```
 */
export const answerEnvironment = (
  connection: TelnetConnection,
  variables: readonly EnvironVariable[] | (() => readonly EnvironVariable[]),
): Observable<readonly EnvironVariable[]> =>
  answerEachSend(
    connection,
    TelnetOption.NEW_ENVIRON,
    decodeEnviron,
    map((send) => {
      const answer = answerTo(send.requests, typeof variables === 'function' ? variables() : variables);
      return { payload: encodeEnviron({ _tag: 'Is', variables: answer }), value: answer };
    }),
  );
