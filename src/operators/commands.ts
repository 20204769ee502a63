import { filter, type OperatorFunction } from 'rxjs';
import type { CommandEvent, TelnetEvent } from '../codec/events.js';

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
  filter(
    (event): event is CommandEvent => event._tag === 'Command' && (only.length === 0 || only.includes(event.command)),
  );
