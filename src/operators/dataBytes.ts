import { filter, map, type OperatorFunction, pipe } from 'rxjs';
import type { DataEvent, TelnetEvent } from '../codec/events.js';

const isData = (event: TelnetEvent): event is DataEvent => event._tag === 'Data';

/**
 * Keeps the application data of a Telnet event stream, as byte arrays (views of the decoded chunks).
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { dataBytes, decodeTelnet } from 'rxtelnet';
 * of(Uint8Array.of(104, 255, 241, 105)).pipe(decodeTelnet(), dataBytes()).subscribe((bytes) => { console.log(bytes); });
 * // 68, then 69
 * ```
 */
export const dataBytes = (): OperatorFunction<TelnetEvent, Uint8Array> =>
  pipe(
    filter(isData),
    map((event) => event.bytes),
  );
