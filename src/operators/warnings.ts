import { filter, type OperatorFunction } from 'rxjs';
import type { TelnetEvent, WarningEvent } from '../codec/events.js';

/**
 * Keeps the warning events (recoverable anomalies such as a stray `IAC SE`) of a Telnet event stream.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { decodeTelnet, warnings } from 'rxtelnet';
 * of(Uint8Array.of(255, 240)).pipe(decodeTelnet(), warnings()).subscribe(({ code }) => { console.log(code); });
 * // StraySE
 * ```
 */
export const warnings = (): OperatorFunction<TelnetEvent, WarningEvent> =>
  filter((event): event is WarningEvent => event._tag === 'Warning');
