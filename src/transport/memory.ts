/**
 * An in-memory pair of transports joined back to back: what one writes, the other reads. For tests, demos and
 * running a client and a server in one process (browsers included).
 *
 * @module
 */
import { Observable, type SchedulerLike, type Subscriber } from 'rxjs';
import type { Address, Transport } from './types.js';

/** One direction of the pair: bytes wait here until the reading side subscribes. */
class Inbox {
  private readonly waiting: Uint8Array[] = [];
  private reader: Subscriber<Uint8Array> | undefined;
  private ended = false;

  readonly input = new Observable<Uint8Array>((subscriber) => {
    this.reader = subscriber;
    for (const chunk of this.waiting.splice(0)) subscriber.next(chunk);
    if (this.ended) subscriber.complete();
    return () => {
      this.reader = undefined;
    };
  });

  deliver(chunk: Uint8Array): void {
    if (this.ended) return;
    if (this.reader === undefined) this.waiting.push(chunk);
    else this.reader.next(chunk);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.reader?.complete();
  }
}

const memoryAddress = (port: number): Address => ({ family: 'other', address: 'memory', port });

/**
 * Creates two transports joined back to back. Bytes written on one arrive on the other's `input` later, on
 * `options.scheduler` (default: a later microtask; give the `TestScheduler` to run in virtual time), in order, as a socket would deliver them (bytes sent before the other side subscribes wait for it);
 * `close()` on either ends both inputs once what was written before has arrived.
 *
 * @example
 * ```ts
 * import { createConnection, createMemoryTransports } from 'rxtelnet';
 * const [clientSide, serverSide] = createMemoryTransports();
 * const client = createConnection(clientSide);
 * const server = createConnection(serverSide);
 * server.data$.subscribe((bytes) => console.log(new TextDecoder().decode(bytes)));
 * client.write('hello\n');
 * ```
 */
export const createMemoryTransports = (
  options: { readonly scheduler?: SchedulerLike } = {},
): readonly [Transport, Transport] => {
  const scheduler = options.scheduler;
  // Without a scheduler, a plain microtask: asapScheduler would bring rxjs's setImmediate shim into browser bundles.
  const later = (work: () => void): void => {
    if (scheduler === undefined) queueMicrotask(work);
    else scheduler.schedule(work);
  };
  const inboxes = [new Inbox(), new Inbox()] as const;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    later(() => {
      inboxes[0].end();
      inboxes[1].end();
    });
  };
  const end = (own: Inbox, other: Inbox, port: number, peerPort: number): Transport => ({
    input: own.input,
    write: (bytes) => {
      if (closed) return false;
      const copy = bytes.slice();
      later(() => {
        other.deliver(copy);
      });
      return true;
    },
    close,
    host: memoryAddress(port),
    peer: memoryAddress(peerPort),
  });
  return [end(inboxes[0], inboxes[1], 1, 2), end(inboxes[1], inboxes[0], 2, 1)];
};
