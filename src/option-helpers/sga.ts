/**
 * SUPPRESS-GO-AHEAD (RFC 858): the side that performs SGA sends no `IAC GA`. With ECHO also performed by the
 * server, it is the "character at a time" mode of most Telnet clients (the "kludge line mode" of RFC 1184).
 */
import { combineLatest, map, type Observable } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { holdOption } from './option-streams.js';

/**
 * Server side: switches the client to character-at-a-time input for as long as it is subscribed, by performing
 * SUPPRESS-GO-AHEAD and ECHO (`WILL SGA`, `WILL ECHO`: the client sends each key as typed and leaves the echo
 * to the server, which must then echo what it wants shown). Emits once both are agreed; on unsubscribe turns off
 * those that were not on before (`WONT`), back to line mode. Errors with `OptionRefusedError` when the client
 * refuses one; completes when the connection closes.
 *
 * @example
 * ```ts
 * import { characterMode, createConnection } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport);
 * const editor = characterMode(connection).subscribe(() => connection.write('Press any key.\n'));
 * // later, back to line mode:
 * editor.unsubscribe();
 * ```
 */
export const characterMode = (connection: TelnetConnection): Observable<void> =>
  combineLatest([
    holdOption(connection, 'local', TelnetOption.SGA),
    holdOption(connection, 'local', TelnetOption.ECHO),
  ]).pipe(map(() => undefined));
