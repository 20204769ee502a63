import { filter, type OperatorFunction } from 'rxjs';
import type { SubnegotiationEvent, TelnetEvent } from '../codec/events.js';

/**
 * Keeps the subnegotiation events of a Telnet event stream; only those of `option` when it is given.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { decodeTelnet, subnegotiations, TelnetOption } from 'rxtelnet';
 * of(Uint8Array.of(255, 250, 24, 0, 120, 255, 240))
 *   .pipe(decodeTelnet(), subnegotiations(TelnetOption.TTYPE))
 *   .subscribe(({ payload }) => { console.log(payload); }); // 00 78
 * ```
 */
export const subnegotiations = (option?: number): OperatorFunction<TelnetEvent, SubnegotiationEvent> =>
  filter(
    (event): event is SubnegotiationEvent =>
      event._tag === 'Subnegotiation' && (option === undefined || event.option === option),
  );
