/**
 * CHARSET (RFC 2066): the peers agree on a character set for the data stream.
 *
 * `REQUEST [ "[TTABLE]" version ] sep name sep name...` offers names in order of preference (the first byte
 * after the command, or after the TTABLE version, is the separator); the other side answers
 * `ACCEPTED name` or `REJECTED`. Translation tables (TTABLE-*) are not supported: a `TTABLE-IS` decodes to
 * `{ _tag: 'TtableIs' }` without its table, and the answer to give is `TTABLE-REJECTED`.
 */
import * as E from 'fp-ts/lib/Either.js';
import { EMPTY, filter, map, merge, Observable, take } from 'rxjs';
import { CharsetRejectedError } from '../negotiation/errors.js';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { toTextEncodingName, type TextEncodingName } from '../text/encodings.js';
import { payloadsOf, settleBeforeClose, whileEnabled } from './option-streams.js';
import { concatBytes, decodeUtf8, encodeUtf8 } from './payload-bytes.js';
import { payloadError, type PayloadError } from './payload-error.js';

/**
 * The CHARSET subnegotiation commands.
 *
 * @example
 * ```ts
 * import { CharsetCommand } from 'rxtelnet';
 * CharsetCommand.ACCEPTED; // 2
 * ```
 */
export const CharsetCommand = {
  REQUEST: 1,
  ACCEPTED: 2,
  REJECTED: 3,
  TTABLE_IS: 4,
  TTABLE_REJECTED: 5,
  TTABLE_ACK: 6,
  TTABLE_NAK: 7,
} as const;

/**
 * The marker that opens a REQUEST offering translation tables: the ASCII text `[TTABLE]`.
 *
 * @example
 * ```ts
 * import { CHARSET_TTABLE_MARKER } from 'rxtelnet';
 * CHARSET_TTABLE_MARKER; // '[TTABLE]'
 * ```
 */
export const CHARSET_TTABLE_MARKER = '[TTABLE]';

/**
 * A decoded CHARSET payload.
 *
 * @example
 * ```ts
 * import type { CharsetMessage } from 'rxtelnet';
 * const offer: CharsetMessage = { _tag: 'Request', charsets: ['UTF-8', 'ISO-8859-1'] };
 * ```
 */
export type CharsetMessage =
  | { readonly _tag: 'Request'; readonly charsets: readonly [string, ...string[]]; readonly ttableVersion?: number }
  | { readonly _tag: 'Accepted'; readonly charset: string }
  | { readonly _tag: 'Rejected' }
  | { readonly _tag: 'TtableIs' }
  | { readonly _tag: 'TtableRejected' }
  | { readonly _tag: 'TtableAck' }
  | { readonly _tag: 'TtableNak' };

/**
 * Bounds on a decoded CHARSET payload.
 *
 * @example
 * ```ts
 * import { DEFAULT_CHARSET_LIMITS, type CharsetLimits } from 'rxtelnet';
 * const limits: CharsetLimits = { ...DEFAULT_CHARSET_LIMITS, maxCharsets: 4 };
 * ```
 */
export interface CharsetLimits {
  readonly maxCharsets: number;
  readonly maxNameBytes: number;
}

/**
 * The default bounds: 32 names in a REQUEST, 64 bytes per name (IANA names have at most 40 characters).
 *
 * @example
 * ```ts
 * import { DEFAULT_CHARSET_LIMITS } from 'rxtelnet';
 * DEFAULT_CHARSET_LIMITS.maxCharsets; // 32
 * ```
 */
export const DEFAULT_CHARSET_LIMITS: CharsetLimits = { maxCharsets: 32, maxNameBytes: 64 };

const ttableMarkerBytes = encodeUtf8(CHARSET_TTABLE_MARKER);

const startsWithTtableMarker = (payload: Uint8Array): boolean =>
  payload.length >= 1 + ttableMarkerBytes.length && ttableMarkerBytes.every((byte, i) => payload[1 + i] === byte);

const decodeRequest = (payload: Uint8Array, limits: CharsetLimits): E.Either<PayloadError, CharsetMessage> => {
  const hasTtable = startsWithTtableMarker(payload);
  const versionAt = 1 + ttableMarkerBytes.length;
  const separatorAt = hasTtable ? versionAt + 1 : 1;
  const separator = payload[separatorAt];
  if (separator === undefined) {
    return E.left(
      payloadError(TelnetOption.CHARSET, `offset ${separatorAt}`, 'REQUEST without a separator and a list'),
    );
  }
  const charsets: string[] = [];
  let start = separatorAt + 1;
  while (start <= payload.length) {
    const found = payload.indexOf(separator, start);
    const end = found === -1 ? payload.length : found;
    if (end === start && end === payload.length && charsets.length > 0) break; // a trailing separator
    if (end === start) return E.left(payloadError(TelnetOption.CHARSET, `offset ${start}`, 'empty character set name'));
    if (end - start > limits.maxNameBytes) {
      return E.left(
        payloadError(TelnetOption.CHARSET, `offset ${start}`, `name longer than ${limits.maxNameBytes} bytes`),
      );
    }
    if (charsets.length === limits.maxCharsets) {
      return E.left(payloadError(TelnetOption.CHARSET, `offset ${start}`, `more than ${limits.maxCharsets} names`));
    }
    const name = decodeUtf8(TelnetOption.CHARSET, `offset ${start}`, payload.subarray(start, end));
    if (E.isLeft(name)) return name;
    charsets.push(name.right);
    start = end + 1;
  }
  const [first, ...rest] = charsets;
  if (first === undefined) return E.left(payloadError(TelnetOption.CHARSET, `offset ${separatorAt}`, 'empty list'));
  const version = payload[versionAt];
  return E.right(
    hasTtable && version !== undefined
      ? { _tag: 'Request', charsets: [first, ...rest], ttableVersion: version }
      : { _tag: 'Request', charsets: [first, ...rest] },
  );
};

const noData = (payload: Uint8Array, message: CharsetMessage): E.Either<PayloadError, CharsetMessage> =>
  payload.length === 1
    ? E.right(message)
    : E.left(payloadError(TelnetOption.CHARSET, 'offset 1', `unexpected bytes after ${message._tag}`));

/**
 * Decodes a CHARSET payload within `limits`.
 *
 * @example
 * ```ts
 * import { decodeCharset } from 'rxtelnet';
 * // REQUEST ";UTF-8;ISO-8859-1"
 * decodeCharset(new TextEncoder().encode('\x01;UTF-8;ISO-8859-1'));
 * // right({ _tag: 'Request', charsets: ['UTF-8', 'ISO-8859-1'] })
 * ```
 */
export const decodeCharset = (
  payload: Uint8Array,
  limits: CharsetLimits = DEFAULT_CHARSET_LIMITS,
): E.Either<PayloadError, CharsetMessage> => {
  switch (payload[0]) {
    case CharsetCommand.REQUEST:
      return decodeRequest(payload, limits);
    case CharsetCommand.ACCEPTED: {
      if (payload.length === 1)
        return E.left(payloadError(TelnetOption.CHARSET, 'offset 1', 'ACCEPTED without a name'));
      if (payload.length - 1 > limits.maxNameBytes) {
        return E.left(payloadError(TelnetOption.CHARSET, 'offset 1', `name longer than ${limits.maxNameBytes} bytes`));
      }
      return E.map((charset: string): CharsetMessage => ({ _tag: 'Accepted', charset }))(
        decodeUtf8(TelnetOption.CHARSET, 'offset 1', payload.subarray(1)),
      );
    }
    case CharsetCommand.REJECTED:
      return noData(payload, { _tag: 'Rejected' });
    case CharsetCommand.TTABLE_IS:
      return E.right({ _tag: 'TtableIs' });
    case CharsetCommand.TTABLE_REJECTED:
      return noData(payload, { _tag: 'TtableRejected' });
    case CharsetCommand.TTABLE_ACK:
      return noData(payload, { _tag: 'TtableAck' });
    case CharsetCommand.TTABLE_NAK:
      return noData(payload, { _tag: 'TtableNak' });
    default:
      return E.left(
        payloadError(TelnetOption.CHARSET, 'offset 0', `unknown CHARSET command ${payload[0] ?? 'nothing'}`),
      );
  }
};

const SEPARATOR_CANDIDATES = encodeUtf8('; ,|:/');

/** The first candidate separator that occurs in no name, else the first byte 1..127 (not `[`) that does not. */
const pickSeparator = (names: readonly Uint8Array[]): number => {
  const unused = (byte: number): boolean => names.every((name) => !name.includes(byte));
  const preferred = SEPARATOR_CANDIDATES.find(unused);
  if (preferred !== undefined) return preferred;
  for (let byte = 1; byte < 128; byte += 1) if (byte !== 0x5b && unused(byte)) return byte;
  return 0x3b;
};

/**
 * Encodes a CHARSET message (we never send translation tables, so no `TtableIs`). A REQUEST uses `;` as
 * separator unless a name contains it, then the first of ` ,|:/` (or another byte) that no name contains.
 *
 * @example
 * ```ts
 * import { encodeCharset } from 'rxtelnet';
 * encodeCharset({ _tag: 'Request', charsets: ['UTF-8'] }); // bytes of "\x01;UTF-8"
 * encodeCharset({ _tag: 'TtableRejected' }); // Uint8Array [5]
 * ```
 */
export const encodeCharset = (message: Exclude<CharsetMessage, { readonly _tag: 'TtableIs' }>): Uint8Array => {
  switch (message._tag) {
    case 'Request': {
      const names = message.charsets.map(encodeUtf8);
      const separator = pickSeparator(names);
      const head: (number | Uint8Array)[] =
        message.ttableVersion === undefined
          ? [CharsetCommand.REQUEST]
          : [CharsetCommand.REQUEST, ttableMarkerBytes, message.ttableVersion & 0xff];
      return concatBytes([...head, ...names.flatMap((name) => [separator, name])]);
    }
    case 'Accepted':
      return concatBytes([CharsetCommand.ACCEPTED, encodeUtf8(message.charset)]);
    case 'Rejected':
      return Uint8Array.of(CharsetCommand.REJECTED);
    case 'TtableRejected':
      return Uint8Array.of(CharsetCommand.TTABLE_REJECTED);
    case 'TtableAck':
      return Uint8Array.of(CharsetCommand.TTABLE_ACK);
    case 'TtableNak':
      return Uint8Array.of(CharsetCommand.TTABLE_NAK);
  }
};

/**
 * The first offered character set (the peer's order of preference) that we support, compared
 * case-insensitively, spelled as the peer offered it; `undefined` if none.
 *
 * @example
 * ```ts
 * import { chooseCharset } from 'rxtelnet';
 * chooseCharset(['ISO-8859-1', 'utf-8'], ['UTF-8']); // 'utf-8'
 * ```
 */
export const chooseCharset = (offered: readonly string[], supported: readonly string[]): string | undefined => {
  const ours = new Set(supported.map((name) => name.toUpperCase()));
  return offered.find((name) => ours.has(name.toUpperCase()));
};

/**
 * The answer to a REQUEST: `ACCEPTED` with the chosen name, or `REJECTED` when we support none of them.
 *
 * @example
 * ```ts
 * import { answerCharsetRequest, encodeCharset } from 'rxtelnet';
 * const answer = answerCharsetRequest(['UTF-8', 'CP437'], ['UTF-8', 'ISO-8859-1']); // { _tag: 'Accepted', charset: 'UTF-8' }
 * const payload = encodeCharset(answer);
 * ```
 */
export const answerCharsetRequest = (
  offered: readonly string[],
  supported: readonly string[],
): { readonly _tag: 'Accepted'; readonly charset: string } | { readonly _tag: 'Rejected' } => {
  const charset = chooseCharset(offered, supported);
  return charset === undefined ? { _tag: 'Rejected' } : { _tag: 'Accepted', charset };
};

// ------------------------------------------------------------------------------------------ RxJS

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
  whileEnabled(
    connection,
    TelnetOption.CHARSET,
    'local',
    () =>
      new Observable<string>((subscriber) => {
        const subscription = payloadsOf(connection, TelnetOption.CHARSET, 'local').subscribe((payload) => {
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
        });
        sendCharset(connection, { _tag: 'Request', charsets: offered });
        return subscription;
      }),
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
