/**
 * END-OF-RECORD (RFC 885): `IAC EOR` marks the end of a record. MUD servers offer it (`WILL EOR`) to mark
 * prompts, as `IAC GA` does on connections without it; a client that agrees (`DO EOR`) shows the text before
 * the mark as a prompt.
 */
import { Command } from '../protocol/commands.js';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';

/**
 * Writes a prompt (`text`, escaped as {@link TelnetConnection.write} does) and marks its end: `IAC EOR` when EOR
 * is in effect on our side, else `IAC GA` unless SUPPRESS-GO-AHEAD is in effect on our side (then no mark: the
 * peer agreed to receive no GA). Returns `false` when the transport's buffer is full or the connection closed.
 *
 * @example
 * ```ts
 * import { createConnection, TelnetOption, policyOf, sendPrompt } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.EOR] }) });
 * sendPrompt(connection, '<100hp 50mp> ');
 * ```
 */
export const sendPrompt = (connection: TelnetConnection, text: string): boolean => {
  const written = connection.write(text);
  if (connection.isEnabled('local', TelnetOption.EOR)) return connection.sendCommand(Command.EOR) && written;
  if (connection.isEnabled('local', TelnetOption.SGA)) return written;
  return connection.sendCommand(Command.GA) && written;
};
