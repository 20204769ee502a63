import { filter, type OperatorFunction } from 'rxjs';
import type { CommandEvent, TelnetEvent } from '../codec/events.js';

const isCommand = (event: TelnetEvent): event is CommandEvent => event._tag === 'Command';

/**
 * Keeps the command events (GA, EOR, NOP, AYT...) of a Telnet event stream; only those given, if any are.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { commands, decodeTelnet, Command } from 'rxtelnet';
 * of(Uint8Array.of(255, 241, 62, 255, 249))
 *   .pipe(decodeTelnet(), commands(Command.GA, Command.EOR))
 *   .subscribe(() => { console.log('prompt'); });
 * ```
 */
export const commands = (...only: number[]): OperatorFunction<TelnetEvent, CommandEvent> =>
  only.length === 0
    ? filter(isCommand)
    : filter((event): event is CommandEvent => isCommand(event) && only.includes(event.command));
