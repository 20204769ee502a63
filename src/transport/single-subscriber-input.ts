/**
 * The `input` of a transport, an Observable of byte chunks with a single subscriber, and the transport's side of
 * it: the transport feeds chunks and the end as they come; the input holds them (or drops them) until its one
 * subscriber arrives, refuses any other, and tells the transport when to start and stop reading. Portable: no
 * `node:` module, no Node global.
 *
 * @internal Not part of the package's public exports.
 */
import { Observable, type Subscriber } from 'rxjs';

/** How a {@link singleSubscriberInput} holds, refuses, starts and stops. */
export interface SingleSubscriberInputOptions {
  /** The error a second subscription gets, even after the first one ended or left. */
  readonly refuse: () => Error;
  /**
   * Holds what is fed before the subscription, for it: the chunks (the one past `maxBytes` included, after which
   * `overflow` is called: it usually fails the input) and the end. Without it, chunks fed while nobody is
   * subscribed are dropped (a transport that can stop reading, like a socket, holds them itself).
   */
  readonly hold?: { readonly maxBytes: number; readonly overflow: () => void };
  /** The subscriber arrived and the input has not ended: start reading. It may end the input at once. */
  readonly start?: () => void;
  /** The subscriber that `start` was called for left, or the input ended: stop reading. */
  readonly stop?: () => void;
}

/** The input and the transport's side of it. Chunks are passed on as they are (no copy). */
export interface SingleSubscriberInput {
  /** The Observable to hand out as `Transport.input`. */
  readonly input: Observable<Uint8Array>;
  /** A chunk arrived: to the subscriber; held before it subscribes (see `hold`); dropped after it left. */
  readonly next: (chunk: Uint8Array) => void;
  /** The input ended cleanly: completes the subscriber, now or (after what is held) when it subscribes. */
  readonly complete: () => void;
  /** The input failed: errors the subscriber, now or (after what is held) when it subscribes. */
  readonly error: (error: unknown) => void;
}

/** Creates an input that one subscriber reads, fed by its transport. Only the first end counts. */
export const singleSubscriberInput = (options: SingleSubscriberInputOptions): SingleSubscriberInput => {
  const { refuse, hold, start, stop } = options;
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  let reader: Subscriber<Uint8Array> | undefined;
  let subscribed = false;
  let ended = false;
  let failure: { readonly error: unknown } | undefined;

  const tellEnd = (subscriber: Subscriber<Uint8Array>): void => {
    if (failure === undefined) subscriber.complete();
    else subscriber.error(failure.error);
  };

  const end = (outcome: { readonly error: unknown } | undefined): void => {
    if (ended) return;
    ended = true;
    failure = outcome;
    const current = reader;
    reader = undefined;
    if (current !== undefined) tellEnd(current);
  };

  const input = new Observable<Uint8Array>((subscriber) => {
    if (subscribed) {
      subscriber.error(refuse());
      return undefined;
    }
    subscribed = true;
    for (const chunk of held.splice(0)) subscriber.next(chunk);
    heldBytes = 0;
    if (ended) {
      tellEnd(subscriber);
      return undefined;
    }
    if (subscriber.closed) return undefined;
    reader = subscriber;
    start?.();
    return () => {
      reader = undefined;
      stop?.();
    };
  });

  return {
    input,
    next: (chunk) => {
      if (reader !== undefined) {
        reader.next(chunk);
      } else if (!subscribed && !ended && hold !== undefined) {
        held.push(chunk);
        heldBytes += chunk.byteLength;
        if (heldBytes > hold.maxBytes) hold.overflow();
      }
    },
    complete: () => {
      end(undefined);
    },
    error: (error) => {
      end({ error });
    },
  };
};
