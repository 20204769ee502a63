import { filter, type OperatorFunction } from 'rxjs';
import type { SubnegotiationEvent, TelnetEvent } from '../codec/events.js';

const isSubnegotiation = (event: TelnetEvent): event is SubnegotiationEvent => event._tag === 'Subnegotiation';

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
  option === undefined
    ? filter(isSubnegotiation)
    : filter((event): event is SubnegotiationEvent => isSubnegotiation(event) && event.option === option);
