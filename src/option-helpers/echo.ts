/**
 * ECHO (RFC 857): the side that performs ECHO echoes back what it receives. A server that says `WILL ECHO`
 * tells the client not to echo locally: servers do this around password prompts (and then do not echo).
 */
import type { Observable } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { holdOption } from './option-streams.js';

/**
 * Hides what the user types, for a password prompt: offers `WILL ECHO` (the client stops echoing locally; the
 * server does not echo either) and emits once the client agreed; on unsubscribe sends `WONT ECHO`, unless ECHO
 * was already on before, so the client echoes again. Errors with `OptionRefusedError` when the client refuses;
 * completes when the connection closes.
 *
 * @example
 * ```ts
 * import { createConnection, hideInput } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport);
 * connection.write('Password: ');
 * const hidden = hideInput(connection).subscribe({ error: () => connection.write('(your password will show)\n') });
 * // once the password line has arrived:
 * hidden.unsubscribe();
 * ```
 */
export const hideInput = (connection: TelnetConnection): Observable<void> =>
  holdOption(connection, 'local', TelnetOption.ECHO);
