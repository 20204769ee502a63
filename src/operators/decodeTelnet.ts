import { Observable, type OperatorFunction } from 'rxjs';
import type { TelnetEvent } from '../codec/events.js';
import { createDecoder, decodeInto, EventSink, flushInto } from '../codec/parser.js';
import type { DecoderOptions } from '../codec/parser.js';

/**
 * Decodes a stream of byte chunks into Telnet events, each emitted synchronously as it is decoded, in wire order.
 * Every subscription has its own decoder; when the source completes, what the decoder holds is flushed (a held CR,
 * a `Truncated` warning) before completing. Source errors pass through.
 *
 * Data events are views of the incoming chunks (see {@link decodeChunk}); subnegotiation payloads are copies.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { decodeTelnet } from 'rxtelnet';
 * of(Uint8Array.of(104, 105, 255, 249)).pipe(decodeTelnet()).subscribe((event) => { console.log(event._tag); });
 * // Data, Command
 * ```
 */
export const decodeTelnet =
  (options?: DecoderOptions): OperatorFunction<Uint8Array, TelnetEvent> =>
  (source) =>
    new Observable<TelnetEvent>((subscriber) => {
      const decoder = createDecoder(options);
      const sink = new EventSink(subscriber);
      return source.subscribe({
        next: (chunk) => {
          decodeInto(decoder, chunk, sink);
        },
        error: (error: unknown) => {
          subscriber.error(error);
        },
        complete: () => {
          flushInto(decoder, sink);
          subscriber.complete();
        },
      });
    });
