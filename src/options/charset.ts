/**
 * CHARSET (RFC 2066): the peers agree on a character set for the data stream.
 *
 * `REQUEST [ "[TTABLE]" version ] sep name sep name...` offers names in order of preference (the first byte
 * after the command, or after the TTABLE version, is the separator); the other side answers
 * `ACCEPTED name` or `REJECTED`. Translation tables (TTABLE-*) are not supported: a `TTABLE-IS` decodes to
 * `{ _tag: 'TtableIs' }` without its table, and the answer to give is `TTABLE-REJECTED`.
 */
import * as E from '#fp-ts/Either';
import { TelnetOption } from '../protocol/options.js';
import { concatBytes, decodeUtf8, encodeUtf8 } from './payload-bytes.js';
import { payloadError, type PayloadError } from './payload-error.js';

/**
 * The CHARSET subnegotiation commands.
 *
 * @internal
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
 * @internal
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
