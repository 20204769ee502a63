/**
 * The commands of the client's escape prompt (Ctrl-] then a command, like telnet(1)).
 *
 * @module
 */

/** What an escape command does: end the session, or go back to it after printing `message`. */
export type EscapeAction = { readonly _tag: 'Quit' } | { readonly _tag: 'Resume'; readonly message: string };

/** The help text of the escape prompt. */
export const escapeHelp = `Commands:
  quit, close   close the connection and exit
  status        where we are connected, the options in effect, bytes each way
  help, ?       this text
  (empty)       back to the session
`;

/**
 * Interprets one line typed at the escape prompt; `status` is asked for the status text only when needed.
 *
 * @example
 * ```text
 * interpretEscapeCommand(' quit ', () => '');   // { _tag: 'Quit' }
 * interpretEscapeCommand('', () => '');         // { _tag: 'Resume', message: '' }
 * ```
 */
export const interpretEscapeCommand = (line: string, status: () => string): EscapeAction => {
  const command = line.trim().toLowerCase();
  switch (command) {
    case 'quit':
    case 'close':
    case 'q':
      return { _tag: 'Quit' };
    case '':
      return { _tag: 'Resume', message: '' };
    case 'status':
      return { _tag: 'Resume', message: status() };
    case 'help':
    case '?':
      return { _tag: 'Resume', message: escapeHelp };
    default:
      return { _tag: 'Resume', message: `unknown command '${command}' (try help)\n` };
  }
};
