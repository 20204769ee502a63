/**
 * MSSP over a connection: the server answers with its status table, the client reads the tables it is sent.
 * The payload codec is in `options/mssp`.
 */
import type * as E from '#fp-ts/Either';
import { defer, type Observable, of, tap } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { payloadsOf, whileEnabled } from './option-streams.js';
import { type PayloadError } from '../options/payload-error.js';
import { DEFAULT_MSSP_LIMITS, type MsspLimits, type MsspTable, decodeMssp, encodeMssp } from '../options/mssp.js';

/**
 * The client (crawler) side of MSSP: the tables the server sends while MSSP is in effect on its side, decoded
 * within `limits`; a malformed payload is a `Left` and the stream goes on. Completes when the connection closes.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { firstValueFrom } from 'rxjs';
 * import { createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import { msspTables } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ remote: [TelnetOption.MSSP] }) });
 * const table = await firstValueFrom(msspTables(connection));
 * if (E.isRight(table)) console.log(table.right['NAME'], table.right['PLAYERS']);
 * ```
 */
export const msspTables = (
  connection: TelnetConnection,
  limits: MsspLimits = DEFAULT_MSSP_LIMITS,
): Observable<E.Either<PayloadError, MsspTable>> =>
  payloadsOf(connection, TelnetOption.MSSP, 'remote', (payload) => decodeMssp(payload, limits));

/**
 * The server side of MSSP: each time MSSP becomes in effect on our side (the crawler's `DO MSSP` to our
 * `WILL MSSP`), sends the table `table()` returns, read then so that it is current. Emits each table sent;
 * completes when the connection closes. Offer MSSP with `will(TelnetOption.MSSP)` or accept `DO` in the policy (`local`).
 *
 * @example
 * ```ts
 * import { createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import { MsspVariable, serveMssp } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * declare const players: () => number;
 * const started = Math.floor(Date.now() / 1000);
 * const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.MSSP] }) });
 * serveMssp(connection, () => ({
 *   [MsspVariable.NAME]: 'Example MUD',
 *   [MsspVariable.PLAYERS]: String(players()),
 *   [MsspVariable.UPTIME]: String(started),
 * })).subscribe();
 * ```
 */
export const serveMssp = (connection: TelnetConnection, table: () => MsspTable): Observable<MsspTable> =>
  whileEnabled(connection, TelnetOption.MSSP, 'local', () =>
    defer(() => of(table())).pipe(
      tap((current) => {
        connection.requestNegotiation(TelnetOption.MSSP, encodeMssp(current));
      }),
    ),
  );
