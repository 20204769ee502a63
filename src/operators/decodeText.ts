import { Observable, type OperatorFunction } from 'rxjs';
import type { TextEncodingName } from '../text/encodings.js';
import { followEncoding } from './follow-encoding.js';

/**
 * Decodes a byte stream into text, chunk by chunk.
 *
 * - A character split across chunks is emitted whole with the chunk that completes it; chunks that complete
 *   no character emit nothing (no empty strings). Invalid UTF-8 decodes to U+FFFD. See {@link createTextDecoder}.
 * - `encoding` may be an Observable, e.g. the encoding agreed by CHARSET negotiation: each new value applies
 *   to the bytes that follow it. Before its first value, bytes are decoded as UTF-8. On a change, bytes held
 *   back by the old decoder are flushed (as U+FFFD). An error of the Observable is forwarded; its completion
 *   keeps the last encoding.
 * - On completion, held-back bytes are flushed (as U+FFFD) before the completion.
 *
 * Cold: each subscription has its own decoder.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { decodeText } from 'rxtelnet';
 * of(Uint8Array.of(0x68, 0xc3), Uint8Array.of(0xa9)).pipe(decodeText()).subscribe(console.log); // 'h', 'é'
 * ```
 */
export const decodeText =
  (encoding: TextEncodingName | Observable<TextEncodingName> = 'utf-8'): OperatorFunction<Uint8Array, string> =>
  (source) =>
    new Observable<string>((subscriber) => {
      const emit = (text: string): void => {
        if (text !== '') subscriber.next(text);
      };
      const decoder = followEncoding(subscriber, encoding, emit);
      if (subscriber.closed) return;
      subscriber.add(
        source.subscribe({
          next: (bytes) => {
            emit(decoder.decode(bytes));
          },
          error: (error: unknown) => {
            subscriber.error(error);
          },
          complete: () => {
            emit(decoder.flush());
            subscriber.complete();
          },
        }),
      );
    });
