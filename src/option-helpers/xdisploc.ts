/**
 * X-DISPLAY-LOCATION (RFC 1096) over a connection: the client answers the server's SEND with its display.
 * The payload codec is in `options/xdisploc`.
 */
import * as E from 'fp-ts/lib/Either.js';
import { filter, map, type Observable, tap } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { payloadsOf } from './option-streams.js';
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
  payloadsOf(connection, TelnetOption.XDISPLOC, 'local').pipe(
    map((payload) => decodeXdisploc(payload)),
    filter((message) => E.isRight(message) && message.right._tag === 'Send'),
    map(() => display),
    tap(() => {
      connection.requestNegotiation(TelnetOption.XDISPLOC, encodeXdisploc({ _tag: 'Is', location: display }));
    }),
  );
