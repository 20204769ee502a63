/**
 * X-DISPLAY-LOCATION (RFC 1096) over a connection: the client answers the server's SEND with its display.
 * The payload codec is in `options/xdisploc`.
 */
import { map, type Observable } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { answerEachSend } from './option-streams.js';
import { decodeXdisploc, encodeXdisploc } from '../options/xdisploc.js';

/**
 * The client side of X-DISPLAY-LOCATION: answers each `SEND` that arrives while the option is in effect on our
 * side with `IS display` (`host:display[.screen]`; RFC 1096 forbids sending it unasked). Emits the location at
 * each answer; completes when the connection closes. Accept the option in the policy (`local`) or offer it with
 * `will(TelnetOption.XDISPLOC)`.
 *
 * @example
 * ```ts
 * import { answerDisplayLocation, createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.XDISPLOC] }) });
 * answerDisplayLocation(connection, 'workstation7:0.0').subscribe();
 * ```
 */
export const answerDisplayLocation = (connection: TelnetConnection, display: string): Observable<string> =>
  answerEachSend(
    connection,
    TelnetOption.XDISPLOC,
    decodeXdisploc,
    map(() => ({ payload: encodeXdisploc({ _tag: 'Is', location: display }), value: display })),
  );
