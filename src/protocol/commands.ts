/**
 * Telnet command bytes (RFC 854, RFC 885 for EOR, RFC 1184 for EOF/SUSP/ABORT).
 *
 * @example
 * ```ts
 * import { Command } from 'rxtelnet';
 * const ga = Uint8Array.of(Command.IAC, Command.GA);
 * ```
 */
export const Command = {
  /** End of file (RFC 1184, LINEMODE). */
  EOF: 236,
  /** Suspend process (RFC 1184, LINEMODE). */
  SUSP: 237,
  /** Abort process (RFC 1184, LINEMODE). */
  ABORT: 238,
  /** End of record (RFC 885), used by MUDs as a prompt mark. */
  EOR: 239,
  /** End of subnegotiation parameters. */
  SE: 240,
  /** No operation. */
  NOP: 241,
  /** Data mark: the data-stream part of a Synch. */
  DM: 242,
  /** Break. */
  BRK: 243,
  /** Interrupt process. */
  IP: 244,
  /** Abort output. */
  AO: 245,
  /** Are you there. */
  AYT: 246,
  /** Erase character. */
  EC: 247,
  /** Erase line. */
  EL: 248,
  /** Go ahead: also the usual MUD prompt mark. */
  GA: 249,
  /** Begin subnegotiation. */
  SB: 250,
  /** Sender wants to perform, or confirms it performs, an option. */
  WILL: 251,
  /** Sender refuses to perform, or stops performing, an option. */
  WONT: 252,
  /** Sender asks the receiver to perform, or confirms it expects it to perform, an option. */
  DO: 253,
  /** Sender asks the receiver to stop, or not to start, performing an option. */
  DONT: 254,
  /** Interpret as command: the escape byte. */
  IAC: 255,
} as const;

/**
 * The name of a Telnet command byte, e.g. `'GA'`.
 *
 * @example
 * ```ts
 * import type { CommandName } from 'rxtelnet';
 * const prompts: readonly CommandName[] = ['GA', 'EOR'];
 * ```
 */
export type CommandName = keyof typeof Command;

/**
 * The byte value of a Telnet command.
 *
 * @example
 * ```ts
 * import { Command } from 'rxtelnet';
 * import type { CommandByte } from 'rxtelnet';
 * const mark: CommandByte = Command.EOR;
 * ```
 */
export type CommandByte = (typeof Command)[CommandName];

const commandNames: ReadonlyMap<number, CommandName> = new Map(
  (Object.keys(Command) as CommandName[]).map((name) => [Command[name], name]),
);

/**
 * The symbolic name of a command byte, or its decimal value for bytes with no name.
 *
 * @example
 * ```ts
 * import { commandName } from 'rxtelnet';
 * commandName(249); // 'GA'
 * commandName(100); // '100'
 * ```
 */
export const commandName = (byte: number): string => commandNames.get(byte) ?? String(byte);
