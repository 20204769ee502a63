import { filter, map, type OperatorFunction, pipe } from 'rxjs';
import type { TelnetEvent } from '../codec/events.js';
import { encodeData, encodeEvent } from '../codec/encoder.js';
import type { EncodeDataOptions } from '../codec/encoder.js';

/**
 * Encodes events (and raw `Uint8Array`s, taken as data to escape) into the bytes to write. Inputs that encode to
 * nothing (warnings, empty data) are skipped, so the output never carries an empty chunk.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { encodeTelnet, negotiation, TelnetOption } from 'rxtelnet';
 * of(negotiation('WILL', TelnetOption.NAWS), new TextEncoder().encode('hi\n'))
 *   .pipe(encodeTelnet({ newline: 'nvt' }))
 *   .subscribe((bytes) => { console.log(bytes); }); // ff fb 1f, then 68 69 0d 0a
 * ```
 */
export const encodeTelnet = (options?: EncodeDataOptions): OperatorFunction<TelnetEvent | Uint8Array, Uint8Array> =>
  pipe(
    map((input) => (input instanceof Uint8Array ? encodeData(input, options) : encodeEvent(input, options))),
    filter((bytes) => bytes.length > 0),
  );
