/**
 * The decoder that {@link decodeText} and {@link lines} share: streaming, and switching to each encoding an
 * Observable gives.
 *
 * @internal Not part of the package's public exports.
 */
import type { Observable, Subscriber } from 'rxjs';
import { createTextDecoder } from '../text/decoder.js';
import type { TextEncodingName } from '../text/encodings.js';

const NO_BYTES = new Uint8Array(0);

/** Decodes chunk after chunk with the current encoding. */
export interface FollowingDecoder {
  /** Decodes `bytes`, holding back an incomplete character for the next call. */
  decode(bytes: Uint8Array): string;
  /** What is held back, flushed (as U+FFFD): at the end of the stream. */
  flush(): string;
}

/**
 * A streaming text decoder for `encoding`, or for each value of it when it is an Observable (UTF-8 until the
 * first): on a change, what the old decoder held back is flushed to `flushed` first. The subscription to the
 * encodings belongs to `subscriber`, which also receives their error.
 *
 * @internal
 */
export const followEncoding = (
  subscriber: Subscriber<unknown>,
  encoding: TextEncodingName | Observable<TextEncodingName>,
  flushed: (text: string) => void,
): FollowingDecoder => {
  let decoder = createTextDecoder(typeof encoding === 'string' ? encoding : 'utf-8');
  if (typeof encoding !== 'string') {
    subscriber.add(
      encoding.subscribe({
        next: (next) => {
          if (next === decoder.encoding) return;
          flushed(decoder.decode(NO_BYTES, false));
          decoder = createTextDecoder(next);
        },
        error: (error: unknown) => {
          subscriber.error(error);
        },
      }),
    );
  }
  return {
    decode: (bytes) => decoder.decode(bytes, true),
    flush: () => decoder.decode(NO_BYTES, false),
  };
};
