/**
 * NAWS (RFC 1073) over a connection: the client reports its window sizes, the server reads them.
 * The payload codec is in `options/naws`.
 */
import type * as E from '#fp-ts/Either';
import { distinctUntilChanged, Observable, ReplaySubject, tap } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { payloadsOf, whileEnabled } from './option-streams.js';
import { type PayloadError } from '../options/payload-error.js';
import { type WindowSize, decodeNaws, encodeNaws } from '../options/naws.js';

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
  payloadsOf(connection, TelnetOption.NAWS, 'remote', decodeNaws);
