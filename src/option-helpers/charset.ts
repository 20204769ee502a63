/**
 * CHARSET (RFC 2066) over a connection: request a character set, answer the peer's requests, and follow the
 * agreed encoding. The payload codec is in `options/charset`.
 */
import * as E from '#fp-ts/Either';
import { EMPTY, filter, map, merge, Observable, take } from 'rxjs';
import { CharsetRejectedError } from '../negotiation/errors.js';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { toTextEncodingName, type TextEncodingName } from '../text/encodings.js';
import { listenThenRequest, payloadsOf, settleBeforeClose, whileEnabled } from './option-streams.js';
import {
  type CharsetMessage,
  answerCharsetRequest,
  chooseCharset,
  decodeCharset,
  encodeCharset,
} from '../options/charset.js';

const decodedCharset = (payload: Uint8Array): CharsetMessage | undefined => {
  const message = decodeCharset(payload);
  return E.isRight(message) ? message.right : undefined;
};

const sendCharset = (
  connection: TelnetConnection,
  message: Exclude<CharsetMessage, { readonly _tag: 'TtableIs' }>,
): void => {
  connection.requestNegotiation(TelnetOption.CHARSET, encodeCharset(message));
};

/**
 * Asks the peer to use one of `offered` (in order of preference) with `REQUEST`, as soon as CHARSET is in effect
 * on our side. RFC 2066 lets only the side that sent `WILL CHARSET` and received `DO CHARSET` request: offer it
 * with `will(TelnetOption.CHARSET)` or accept the peer's `DO` in the policy (`local`).
 *
 * Emits the name the peer accepted, spelled as it answered, and completes. Errors with
 * {@link CharsetRejectedError} on `REJECTED`, on a translation table (answered with `TTABLE-REJECTED`) or on a name
 * we did not offer; with `ConnectionClosedError` when the connection closes first. A request the peer sends
 * meanwhile is left to {@link answerCharset}.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { createConnection, TelnetOption, requestCharset } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport);
 * const agreed = firstValueFrom(requestCharset(connection, ['UTF-8', 'ISO-8859-1']));
 * connection.will(TelnetOption.CHARSET).subscribe({ error: () => undefined });
 * console.log(`the client reads ${await agreed}`);
 * ```
 */
export const requestCharset = (
  connection: TelnetConnection,
  offered: readonly [string, ...string[]],
): Observable<string> =>
  whileEnabled(connection, TelnetOption.CHARSET, 'local', () =>
    listenThenRequest(
      connection,
      TelnetOption.CHARSET,
      encodeCharset({ _tag: 'Request', charsets: offered }),
      new Observable<string>((subscriber) =>
        payloadsOf(connection, TelnetOption.CHARSET, 'local').subscribe((payload) => {
          const answer = decodedCharset(payload);
          switch (answer?._tag) {
            case 'Accepted':
              if (chooseCharset([answer.charset], offered) === undefined) {
                subscriber.error(new CharsetRejectedError('NotOffered', offered, answer.charset));
              } else {
                subscriber.next(answer.charset);
                subscriber.complete();
              }
              break;
            case 'Rejected':
              subscriber.error(new CharsetRejectedError('Rejected', offered));
              break;
            case 'TtableIs':
              sendCharset(connection, { _tag: 'TtableRejected' });
              subscriber.error(new CharsetRejectedError('TranslationTable', offered));
              break;
            default:
              break;
          }
        }),
      ),
    ),
  ).pipe(take(1), settleBeforeClose(connection, TelnetOption.CHARSET, 'local'));

/**
 * Answers the peer's CHARSET `REQUEST`s, while CHARSET is in effect on its side, with `ACCEPTED` and the first
 * offered name we support ({@link chooseCharset}), or `REJECTED`; a translation table gets `TTABLE-REJECTED`.
 * Emits each accepted name, as the peer spelled it; completes when the connection closes. Accept the peer's
 * `WILL CHARSET` in the policy (`remote`) or ask with `do(TelnetOption.CHARSET)`.
 *
 * @example
 * ```ts
 * import { answerCharset, createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ remote: [TelnetOption.CHARSET] }) });
 * answerCharset(connection, ['UTF-8', 'ISO-8859-1']).subscribe((charset) => console.log(`now speaking ${charset}`));
 * ```
 */
export const answerCharset = (connection: TelnetConnection, supported: readonly string[]): Observable<string> =>
  payloadsOf(connection, TelnetOption.CHARSET, 'remote').pipe(
    map((payload): string | undefined => {
      const message = decodedCharset(payload);
      if (message?._tag === 'TtableIs') sendCharset(connection, { _tag: 'TtableRejected' });
      if (message?._tag !== 'Request') return undefined;
      const answer = answerCharsetRequest(message.charsets, supported);
      sendCharset(connection, answer);
      return answer._tag === 'Accepted' ? answer.charset : undefined;
    }),
    filter((charset) => charset !== undefined),
  );

/**
 * The text encoding agreed by CHARSET, for `decodeText(encoding$)` and `lines({ encoding })`: emits the
 * {@link TextEncodingName} of each character set the peer accepts in answer to our requests
 * ({@link requestCharset}, which must run for there to be requests) and, when `supported` is given, of each one
 * we accept in answer to the peer's requests: it then answers them itself, as {@link answerCharset} does, so
 * do not run both, and subscribe to it once (`share()` it to use it twice: each subscription answers). Names
 * rxtelnet cannot decode are skipped. Completes when the connection closes.
 *
 * @example
 * ```ts
 * import { agreedEncoding, createConnection, lines, TelnetOption, policyOf } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ remote: [TelnetOption.CHARSET] }) });
 * connection.events$
 *   .pipe(lines({ encoding: agreedEncoding(connection, ['UTF-8', 'ISO-8859-1', 'IBM437']) }))
 *   .subscribe((line) => console.log(line.text));
 * ```
 */
export const agreedEncoding = (
  connection: TelnetConnection,
  supported?: readonly string[],
): Observable<TextEncodingName> =>
  merge(
    payloadsOf(connection, TelnetOption.CHARSET, 'local').pipe(
      map((payload) => {
        const message = decodedCharset(payload);
        return message?._tag === 'Accepted' ? message.charset : undefined;
      }),
    ),
    supported === undefined ? EMPTY : answerCharset(connection, supported),
  ).pipe(
    map((charset) => (charset === undefined ? undefined : toTextEncodingName(charset))),
    filter((encoding) => encoding !== undefined),
  );
