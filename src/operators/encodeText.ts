import { Observable, type OperatorFunction } from 'rxjs';
import type { TextEncodingName } from '../text/encodings.js';
import { encodeString } from '../text/encoder.js';

/**
 * Encodes each string into the bytes of `encoding`, one `Uint8Array` per string (an empty string gives
 * empty bytes). Characters the encoding cannot represent become `'?'`; see {@link encodeString}.
 *
 * `encoding` may be an Observable, e.g. the encoding agreed by CHARSET negotiation: each string is encoded
 * with its latest value, UTF-8 before the first. An error of the Observable is forwarded; its completion
 * keeps the last encoding.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { encodeText } from 'rxtelnet';
 * of('look\r\n').pipe(encodeText('latin1')).subscribe((bytes) => console.log(bytes.length)); // 6
 * ```
 */
export const encodeText =
  (encoding: TextEncodingName | Observable<TextEncodingName> = 'utf-8'): OperatorFunction<string, Uint8Array> =>
  (source) =>
    new Observable<Uint8Array>((subscriber) => {
      let current: TextEncodingName = typeof encoding === 'string' ? encoding : 'utf-8';
      if (typeof encoding !== 'string') {
        subscriber.add(
          encoding.subscribe({
            next: (next) => {
              current = next;
            },
            error: (error: unknown) => {
              subscriber.error(error);
            },
          }),
        );
      }
      if (subscriber.closed) return;
      subscriber.add(
        source.subscribe({
          next: (text) => {
            subscriber.next(encodeString(text, current));
          },
          error: (error: unknown) => {
            subscriber.error(error);
          },
          complete: () => {
            subscriber.complete();
          },
        }),
      );
    });
