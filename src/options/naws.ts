/**
 * NAWS, Negotiate About Window Size (RFC 1073): the client reports its width and height in characters.
 *
 * Payload: `WIDTH[1] WIDTH[0] HEIGHT[1] HEIGHT[0]`, two big-endian 16-bit numbers. A byte 255 in it is doubled
 * on the wire, which the encoder does (`encodeSubnegotiation`); these functions see the unescaped 4 bytes.
 */
import * as E from 'fp-ts/lib/Either.js';
import { distinctUntilChanged, map, Observable, ReplaySubject, tap } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { payloadsOf, whileEnabled } from './option-streams.js';
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
 * @example
 * ```ts
 * import { NAWS_PAYLOAD_LENGTH } from 'rxtelnet';
 * NAWS_PAYLOAD_LENGTH; // 4
 * ```
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

// ------------------------------------------------------------------------------------------ RxJS

const sameSize = (a: WindowSize, b: WindowSize): boolean => a.width === b.width && a.height === b.height;

/**
 * The client side of NAWS: reports window sizes to the peer. Sends the latest size as soon as NAWS is in effect
 * on our side (the peer's `DO NAWS` answered, or our `WILL NAWS` accepted), then each new size while it stays in
 * effect; never before the peer's `DO NAWS`. A size equal to the last one sent is not sent again, except when
 * NAWS is enabled anew. A 255 in the payload is doubled by the frame encoder.
 *
 * Cold: it reads `sizes` and works while subscribed; emits each size it sent; completes when the connection
 * closes; an error of `sizes` is forwarded. Accept NAWS in the policy (`local`) or ask with `will(TelnetOption.NAWS)`.
 *
 * @example
 * ```ts
 * import { fromEvent, map, startWith } from 'rxjs';
 * import { createConnection, TelnetOption, policyOf, sendWindowSize } from 'rxtelnet';
 * import type { Transport, WindowSize } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.NAWS] }) });
 * const sizes = fromEvent(process.stdout, 'resize').pipe(
 *   startWith(undefined),
 *   map((): WindowSize => ({ width: process.stdout.columns, height: process.stdout.rows })),
 * );
 * sendWindowSize(connection, sizes).subscribe((size) => console.log(`told the server ${size.width}x${size.height}`));
 * ```
 */
export const sendWindowSize = (connection: TelnetConnection, sizes: Observable<WindowSize>): Observable<WindowSize> =>
  new Observable<WindowSize>((subscriber) => {
    const latest = new ReplaySubject<WindowSize>(1);
    subscriber.add(
      whileEnabled(connection, TelnetOption.NAWS, 'local', () => latest.pipe(distinctUntilChanged(sameSize)))
        .pipe(
          tap((size) => {
            connection.requestNegotiation(TelnetOption.NAWS, encodeNaws(size));
          }),
        )
        .subscribe(subscriber),
    );
    subscriber.add(
      sizes.subscribe({
        next: (size) => {
          latest.next(size);
        },
        error: (error: unknown) => {
          subscriber.error(error);
        },
        complete: () => {
          latest.complete();
        },
      }),
    );
  });

/**
 * The server side of NAWS: the window sizes the peer reports while NAWS is in effect on its side, decoded;
 * a malformed payload is a `Left` and the stream goes on. Completes when the connection closes.
 * Ask for NAWS with `do(TelnetOption.NAWS)` or accept it in the policy (`remote`).
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { createConnection, TelnetOption, windowSizes } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport);
 * windowSizes(connection).subscribe((size) => {
 *   if (E.isRight(size)) console.log(`the client is ${size.right.width} columns wide`);
 * });
 * connection.do(TelnetOption.NAWS).subscribe({ error: () => console.log('no window sizes') });
 * ```
 */
export const windowSizes = (connection: TelnetConnection): Observable<E.Either<PayloadError, WindowSize>> =>
  payloadsOf(connection, TelnetOption.NAWS, 'remote').pipe(map(decodeNaws));
