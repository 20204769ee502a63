/**
 * X-DISPLAY-LOCATION (RFC 1096): the client reports its X display as `IS "host:display[.screen]"`
 * on the server's `SEND`.
 *
 * The location is peer text that servers put in `DISPLAY`: see {@link UntrustedString}.
 */
import * as E from '#fp-ts/Either';
import { TelnetOption } from '../protocol/options.js';
import { decodeIsSend, IsSendCommand } from './is-send.js';
import { byteText, concatBytes, encodeUtf8 } from './payload-bytes.js';
import { payloadError, type PayloadError } from './payload-error.js';
import { untrusted, type UntrustedString } from './untrusted-string.js';

/**
 * The longest display location accepted, in bytes: 256.
 *
 * @example
 * ```ts
 * import { MAX_XDISPLOC_LENGTH } from 'rxtelnet';
 * MAX_XDISPLOC_LENGTH; // 256
 * ```
 */
export const MAX_XDISPLOC_LENGTH = 256;

/**
 * A decoded X-DISPLAY-LOCATION payload.
 *
 * @example
 * ```ts
 * import type { XdisplocMessage } from 'rxtelnet';
 * const request: XdisplocMessage = { _tag: 'Send' };
 * ```
 */
export type XdisplocMessage<S extends string = string> =
  { readonly _tag: 'Is'; readonly location: S } | { readonly _tag: 'Send' };

/** `host:display[.screen]` with a decimal display and screen; the host is checked to be printable ASCII. */
const locationPattern = /:\d{1,5}(\.\d{1,5})?$/;

const isPrintableAscii = (byte: number): boolean => byte > 0x20 && byte < 0x7f;

/**
 * Decodes an X-DISPLAY-LOCATION payload; a location that is not printable ASCII of the form
 * `host:display[.screen]` is a `PayloadError`.
 *
 * @example
 * ```ts
 * import { decodeXdisploc } from 'rxtelnet';
 * decodeXdisploc(new TextEncoder().encode('\x00lab7:0.0')); // right({ _tag: 'Is', location: 'lab7:0.0' })
 * ```
 */
export const decodeXdisploc = (
  payload: Uint8Array,
  maxLength: number = MAX_XDISPLOC_LENGTH,
): E.Either<PayloadError, XdisplocMessage<UntrustedString>> =>
  decodeIsSend(TelnetOption.XDISPLOC, payload, (bytes): E.Either<PayloadError, XdisplocMessage<UntrustedString>> => {
    if (bytes.length > maxLength) {
      return E.left(payloadError(TelnetOption.XDISPLOC, 'offset 1', `location longer than ${maxLength} bytes`));
    }
    const bad = bytes.findIndex((byte) => !isPrintableAscii(byte));
    if (bad !== -1)
      return E.left(payloadError(TelnetOption.XDISPLOC, `offset ${bad + 1}`, 'location is not printable ASCII'));
    const location = byteText(bytes);
    return locationPattern.test(location)
      ? E.right({ _tag: 'Is', location: untrusted(location) })
      : E.left(payloadError(TelnetOption.XDISPLOC, 'offset 1', 'expected "host:display[.screen]"'));
  });

/**
 * Encodes an X-DISPLAY-LOCATION message.
 *
 * @example
 * ```ts
 * import { encodeXdisploc } from 'rxtelnet';
 * encodeXdisploc({ _tag: 'Is', location: 'lab7:0.0' });
 * encodeXdisploc({ _tag: 'Send' }); // Uint8Array [1]
 * ```
 */
export const encodeXdisploc = (message: XdisplocMessage): Uint8Array =>
  message._tag === 'Send'
    ? Uint8Array.of(IsSendCommand.SEND)
    : concatBytes([IsSendCommand.IS, encodeUtf8(message.location)]);
