/**
 * TERMINAL-SPEED (RFC 1079): the client reports its line speeds as `IS "transmit,receive"` in ASCII decimal
 * bits per second, on the server's `SEND`.
 */
import * as E from '#fp-ts/Either';
import { TelnetOption } from '../protocol/options.js';
import { decodeIsSend, IsSendCommand } from './is-send.js';
import { byteText, concatBytes, encodeUtf8 } from './payload-bytes.js';
import { payloadError, type PayloadError } from './payload-error.js';

/**
 * The largest speed accepted, in bits per second: 4294967295.
 *
 * @example
 * ```ts
 * import { MAX_TERMINAL_SPEED } from 'rxtelnet';
 * MAX_TERMINAL_SPEED; // 4294967295
 * ```
 */
export const MAX_TERMINAL_SPEED = 0xffffffff;

/**
 * A decoded TERMINAL-SPEED payload; speeds are integers in bits per second.
 *
 * @example
 * ```ts
 * import type { TspeedMessage } from 'rxtelnet';
 * const answer: TspeedMessage = { _tag: 'Is', transmit: 38400, receive: 38400 };
 * ```
 */
export type TspeedMessage =
  { readonly _tag: 'Is'; readonly transmit: number; readonly receive: number } | { readonly _tag: 'Send' };

const speedPattern = /^(\d{1,10}),(\d{1,10})$/;

/**
 * Decodes a TERMINAL-SPEED payload.
 *
 * @example
 * ```ts
 * import { decodeTspeed } from 'rxtelnet';
 * decodeTspeed(new TextEncoder().encode('\x0038400,19200')); // right({ _tag: 'Is', transmit: 38400, receive: 19200 })
 * ```
 */
export const decodeTspeed = (payload: Uint8Array): E.Either<PayloadError, TspeedMessage> =>
  decodeIsSend(TelnetOption.TSPEED, payload, (body): E.Either<PayloadError, TspeedMessage> => {
    const text = body.length <= 21 ? byteText(body) : '';
    const [, transmit, receive] = speedPattern.exec(text) ?? [];
    if (transmit === undefined || receive === undefined) {
      return E.left(payloadError(TelnetOption.TSPEED, 'offset 1', 'expected "<transmit>,<receive>" in decimal'));
    }
    const speeds = { transmit: Number(transmit), receive: Number(receive) };
    return speeds.transmit > MAX_TERMINAL_SPEED || speeds.receive > MAX_TERMINAL_SPEED
      ? E.left(payloadError(TelnetOption.TSPEED, 'offset 1', `speed above ${MAX_TERMINAL_SPEED}`))
      : E.right({ _tag: 'Is', ...speeds });
  });

const clampSpeed = (speed: number): number =>
  Number.isFinite(speed) ? Math.min(MAX_TERMINAL_SPEED, Math.max(0, Math.trunc(speed))) : 0;

/**
 * Encodes a TERMINAL-SPEED message; speeds are truncated to integers and clamped to 0..{@link MAX_TERMINAL_SPEED}.
 *
 * @example
 * ```ts
 * import { encodeTspeed } from 'rxtelnet';
 * encodeTspeed({ _tag: 'Is', transmit: 38400, receive: 38400 }); // bytes of "\x0038400,38400"
 * encodeTspeed({ _tag: 'Send' }); // Uint8Array [1]
 * ```
 */
export const encodeTspeed = (message: TspeedMessage): Uint8Array =>
  message._tag === 'Send'
    ? Uint8Array.of(IsSendCommand.SEND)
    : concatBytes([IsSendCommand.IS, encodeUtf8(`${clampSpeed(message.transmit)},${clampSpeed(message.receive)}`)]);
