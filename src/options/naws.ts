/**
 * NAWS, Negotiate About Window Size (RFC 1073): the client reports its width and height in characters.
 *
 * Payload: `WIDTH[1] WIDTH[0] HEIGHT[1] HEIGHT[0]`, two big-endian 16-bit numbers. A byte 255 in it is doubled
 * on the wire, which the encoder does (`encodeSubnegotiation`); these functions see the unescaped 4 bytes.
 */
import * as E from '#fp-ts/Either';
import { TelnetOption } from '../protocol/options.js';
import { payloadError, type PayloadError } from './payload-error.js';

/**
 * A terminal size in character cells; each side is an integer in 0..65535, 0 meaning "unknown".
 *
 * @example
 * ```ts
 * import type { WindowSize } from 'rxtelnet';
 * const size: WindowSize = { width: 80, height: 24 };
 * ```
 */
export interface WindowSize {
  readonly width: number;
  readonly height: number;
}

/**
 * The exact length of a NAWS payload.
 *
 * @internal
 */
export const NAWS_PAYLOAD_LENGTH = 4;

/**
 * The largest width or height NAWS can carry.
 *
 * @example
 * ```ts
 * import { NAWS_MAX_DIMENSION } from 'rxtelnet';
 * NAWS_MAX_DIMENSION; // 65535
 * ```
 */
export const NAWS_MAX_DIMENSION = 0xffff;

/**
 * Decodes a NAWS payload; anything but exactly 4 bytes is a `PayloadError` at path `length`.
 *
 * @example
 * ```ts
 * import { decodeNaws } from 'rxtelnet';
 * decodeNaws(Uint8Array.of(0, 80, 0, 24)); // right({ width: 80, height: 24 })
 * ```
 */
export const decodeNaws = (payload: Uint8Array): E.Either<PayloadError, WindowSize> => {
  const [w1, w0, h1, h0] = payload;
  if (
    payload.length !== NAWS_PAYLOAD_LENGTH ||
    w1 === undefined ||
    w0 === undefined ||
    h1 === undefined ||
    h0 === undefined
  ) {
    return E.left(
      payloadError(TelnetOption.NAWS, 'length', `expected ${NAWS_PAYLOAD_LENGTH} bytes, got ${payload.length}`),
    );
  }
  return E.right({ width: (w1 << 8) | w0, height: (h1 << 8) | h0 });
};

const clampDimension = (value: number): number =>
  Number.isFinite(value) ? Math.min(NAWS_MAX_DIMENSION, Math.max(0, Math.trunc(value))) : 0;

/**
 * Encodes a window size; each side is truncated to an integer and clamped to 0..65535 (non-finite: 0).
 *
 * @example
 * ```ts
 * import { encodeNaws } from 'rxtelnet';
 * encodeNaws({ width: 300, height: 255 }); // Uint8Array [1, 44, 0, 255]: the encoder doubles the 255
 * ```
 */
export const encodeNaws = (size: WindowSize): Uint8Array => {
  const width = clampDimension(size.width);
  const height = clampDimension(size.height);
  return Uint8Array.of(width >> 8, width & 0xff, height >> 8, height & 0xff);
};
