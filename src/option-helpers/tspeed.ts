/**
 * TERMINAL-SPEED (RFC 1079) over a connection: the client answers the server's SEND with its speeds.
 * The payload codec is in `options/tspeed`.
 */
import { map, type Observable } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { answerEachSend } from './option-streams.js';
import { decodeTspeed, encodeTspeed } from '../options/tspeed.js';

/**
 * A terminal's line speeds, in bits per second.
 *
 * @example
 * ```ts
 * import type { TerminalSpeed } from 'rxtelnet';
 * const speed: TerminalSpeed = { transmit: 38400, receive: 38400 };
 * ```
 */
export interface TerminalSpeed {
  readonly transmit: number;
  readonly receive: number;
}

/**
 * The client side of TERMINAL-SPEED: answers each `SEND` that arrives while the option is in effect on our side
 * with `IS transmit,receive` (RFC 1079 forbids sending it unasked). Emits each speed sent; completes when the
 * connection closes. Accept the option in the policy (`local`) or offer it with `will(TelnetOption.TSPEED)`.
 *
 * @example
 * ```ts
 * import { answerTerminalSpeed, createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.TSPEED] }) });
 * answerTerminalSpeed(connection, { transmit: 38400, receive: 38400 }).subscribe();
 * ```
 */
export const answerTerminalSpeed = (connection: TelnetConnection, speed: TerminalSpeed): Observable<TerminalSpeed> =>
  answerEachSend(
    connection,
    TelnetOption.TSPEED,
    decodeTspeed,
    map(() => ({ payload: encodeTspeed({ _tag: 'Is', ...speed }), value: speed })),
  );
