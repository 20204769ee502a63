import * as E from '#fp-ts/Either';
import { catchError, map, of, type OperatorFunction, throwError } from 'rxjs';
import { isTelnetError, type TelnetError } from '../negotiation/errors.js';

/**
 * Moves {@link TelnetError}s from the error channel into the values: each value becomes a `Right`;
 * a `TelnetError` (a negotiation failure, a closed connection, a `TransportError` or `WebSocketError`...) becomes
 * one `Left` followed by completion. Any other error (a bug, not a Telnet failure) is rethrown as it is.
 *
 * @example
 * ```ts
 * import { firstValueFrom, throwError } from 'rxjs';
 * import * as E from 'fp-ts/lib/Either.js';
 * import { asEither, OptionRefusedError, TelnetOption } from 'rxtelnet';
 *
 * const result = await firstValueFrom(
 *   throwError(() => new OptionRefusedError(TelnetOption.NAWS, 'local')).pipe(asEither()),
 * );
 * if (E.isLeft(result)) console.log(result.left.code); // 'ERR_TELNET_OPTION_REFUSED'
 * ```
 */
export const asEither =
  <T>(): OperatorFunction<T, E.Either<TelnetError, T>> =>
  (source) =>
    source.pipe(
      map((value): E.Either<TelnetError, T> => E.right(value)),
      catchError((error: unknown) => (isTelnetError(error) ? of(E.left(error)) : throwError(() => error))),
    );
