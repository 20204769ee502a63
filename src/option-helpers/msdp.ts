/**
 * MSDP over a connection: the peer's variables, and sending variables and commands while MSDP is in effect.
 * The payload codec is in `options/msdp`.
 */
import type * as E from '#fp-ts/Either';
import type { Observable } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { isEnabledOn, payloadsOf } from './option-streams.js';
import { type PayloadError } from '../options/payload-error.js';
import { MAX_MSDP_DEPTH, type MsdpVariable, decodeMsdp, encodeMsdp } from '../options/msdp.js';

/**
 * The MSDP variables the peer sends while MSDP is in effect on either side (the server offers it with
 * `WILL MSDP`, the client agrees with `DO MSDP`), one decoded list per subnegotiation; a malformed payload is a
 * `Left` and the stream goes on. Completes when the connection closes. `msdpRecord` turns a list into a table.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import { msdpRecord, msdpVariables } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ remote: [TelnetOption.MSDP] }) });
 * msdpVariables(connection).subscribe((variables) => {
 *   if (E.isRight(variables)) console.log(msdpRecord(variables.right)['HEALTH']);
 * });
 * ```
 */
export const msdpVariables = (
  connection: TelnetConnection,
  maxDepth: number = MAX_MSDP_DEPTH,
): Observable<E.Either<PayloadError, readonly MsdpVariable[]>> =>
  payloadsOf(connection, TelnetOption.MSDP, 'either', (payload) => decodeMsdp(payload, maxDepth));

/**
 * Sends MSDP variables ({@link encodeMsdp}) if MSDP is in effect on either side; returns whether they were sent.
 *
 * @example
 * ```ts
 * import { createConnection } from 'rxtelnet';
 * import { sendMsdp } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport);
 * sendMsdp(connection, [{ name: 'HEALTH', value: '500' }, { name: 'ROOM_EXITS', value: { n: '6011' } }]);
 * ```
 */
export const sendMsdp = (connection: TelnetConnection, variables: readonly MsdpVariable[]): boolean =>
  sendMsdpCommand(connection, encodeMsdp(variables));

/**
 * Sends a payload built by the MSDP command builders (`msdpReportCommand`, `msdpSendCommand`,
 * `msdpListCommand`, `msdpUnreportCommand`, `msdpResetCommand`) if MSDP is in effect on either
 * side; returns whether it was sent.
 *
 * @example
 * ```ts
 * import { createConnection } from 'rxtelnet';
 * import { msdpListCommand, MsdpList, msdpReportCommand, sendMsdpCommand } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport);
 * sendMsdpCommand(connection, msdpListCommand(MsdpList.REPORTABLE_VARIABLES));
 * sendMsdpCommand(connection, msdpReportCommand('HEALTH', 'HEALTH_MAX'));
 * ```
 */
export const sendMsdpCommand = (connection: TelnetConnection, payload: Uint8Array): boolean => {
  if (!isEnabledOn(connection, TelnetOption.MSDP, 'either')) return false;
  connection.requestNegotiation(TelnetOption.MSDP, payload);
  return true;
};
