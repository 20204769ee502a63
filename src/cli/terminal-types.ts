/**
 * What the client answers to TTYPE: the MUD Terminal Type Standard's three names, from the environment.
 *
 * @module
 */
import { mttsTerminalTypes, mttsFromBits, MttsBit } from '../mud/index.js';

/** The client name, first of the MTTS answers. */
export const CLIENT_NAME = 'RXTELNET';

/** The environment variables the answers are built from. */
export interface TerminalEnvironment {
  readonly TERM?: string | undefined;
  readonly COLORTERM?: string | undefined;
}

/** Terminal types that understand VT100 sequences. */
const vt100Family = /^(xterm|vt1\d\d|vt2\d\d|screen|tmux|rxvt|linux|konsole|gnome|alacritty|kitty|foot|wezterm)/i;

/**
 * The MTTS bits this client claims: ANSI and UTF-8 always (bytes pass to the terminal untouched), VT100 for
 * xterm-like `TERM`s, 256 colours when `TERM` says `256color`, truecolor when `COLORTERM` says so.
 *
 * @example
 * ```text
 * mttsBitsOf({ TERM: 'xterm-256color' }); // 15 (ANSI, VT100, UTF-8, 256 colours)
 * ```
 */
export const mttsBitsOf = (env: TerminalEnvironment): number => {
  const term = env.TERM ?? '';
  let bits = MttsBit.ansi | MttsBit.utf8;
  if (vt100Family.test(term)) bits |= MttsBit.vt100;
  if (term.includes('256color')) bits |= MttsBit.colors256;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') bits |= MttsBit.truecolor | MttsBit.colors256;
  return bits;
};

/**
 * The answers to successive `TTYPE SEND`s: `RXTELNET`, `$TERM` (`ANSI` when unset), then `MTTS <bits>`.
 *
 * @example
 * ```text
 * terminalTypes({ TERM: 'xterm-256color' }); // ['RXTELNET', 'xterm-256color', 'MTTS 15']
 * ```
 */
export const terminalTypes = (env: TerminalEnvironment): readonly [string, string, string] => {
  const term = env.TERM === undefined || env.TERM === '' ? 'ANSI' : env.TERM;
  return mttsTerminalTypes(CLIENT_NAME, term, mttsFromBits(mttsBitsOf(env)));
};
