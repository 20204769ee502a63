import { filter, type OperatorFunction } from 'rxjs';
import type { NegotiationEvent, TelnetEvent } from '../codec/events.js';

/**
 * Keeps the negotiation events (`WILL`, `WONT`, `DO`, `DONT` with their option) of a Telnet event stream.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { decodeTelnet, negotiations } from 'rxtelnet';
 * of(Uint8Array.of(255, 253, 31)).pipe(decodeTelnet(), negotiations()).subscribe(({ verb, option }) => {
 *   console.log(verb, option); // DO 31
 * });
 * ```
 */
export const negotiations = (): OperatorFunction<TelnetEvent, NegotiationEvent> =>
  filter((event): event is NegotiationEvent => event._tag === 'Negotiation');
