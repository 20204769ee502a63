/**
 * Test helpers for the Node transports: a server started from a `listen*` Observable, a reader that subscribes
 * once to a transport's input, and a registry that closes everything a test opened.
 */
import type { Observable, Subscription } from 'rxjs';
import type { Transport } from '../../../src/transport/types.js';
import type { ListenEvent } from '../../../src/transport/node/listen-server.js';

/** A listening server under test. */
export interface TestServer {
  readonly port: number;
  /** The next accepted connection. */
  accept(): Promise<Transport>;
  /** How many connections were accepted so far. */
  acceptedCount(): number;
  stop(): void;
}

/** Subscribes to `events` and resolves once listening. */
export const startServer = (events: Observable<ListenEvent>): Promise<TestServer> =>
  new Promise((resolve, reject) => {
    const accepted: Transport[] = [];
    const waiting: ((transport: Transport) => void)[] = [];
    let count = 0;
    const subscription: Subscription = events.subscribe({
      next: (event) => {
        if (event._tag === 'Listening') {
          resolve({
            port: event.address.port,
            accept: () => {
              const transport = accepted.shift();
              return transport === undefined
                ? new Promise((resolveAccept) => waiting.push(resolveAccept))
                : Promise.resolve(transport);
            },
            acceptedCount: () => count,
            stop: () => {
              subscription.unsubscribe();
            },
          });
          return;
        }
        if (event._tag !== 'Connected') return;
        count += 1;
        const waiter = waiting.shift();
        if (waiter === undefined) accepted.push(event.transport);
        else waiter(event.transport);
      },
      error: reject,
    });
  });

/** Reads a transport's input (its one subscription) and keeps what arrived. */
export interface Reader {
  /** Bytes received so far. */
  readonly length: number;
  bytes(): Buffer;
  text(): string;
  /** Resolves once at least `length` bytes have arrived. */
  waitFor(length: number): Promise<void>;
  /** Resolves when the input completes, rejects when it errors. */
  readonly done: Promise<void>;
}

export const read = (transport: Transport): Reader => {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const waiting: { readonly length: number; readonly resolve: () => void }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    transport.input.subscribe({
      next: (chunk) => {
        chunks.push(chunk);
        length += chunk.length;
        for (const waiter of waiting.filter((w) => w.length <= length)) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve();
        }
      },
      complete: resolve,
      error: reject,
    });
  });
  done.catch(() => undefined);
  return {
    get length() {
      return length;
    },
    bytes: () => Buffer.concat(chunks),
    text: () => Buffer.concat(chunks).toString('latin1'),
    waitFor: (wanted) =>
      wanted <= length ? Promise.resolve() : new Promise((resolve) => waiting.push({ length: wanted, resolve })),
    done,
  };
};

/** Closes, after each test, every transport and server registered during it. */
export const openResources = () => {
  const transports: Transport[] = [];
  const servers: TestServer[] = [];
  return {
    transport: (transport: Transport): Transport => {
      transports.push(transport);
      return transport;
    },
    server: (server: TestServer): TestServer => {
      servers.push(server);
      return server;
    },
    closeAll: (): void => {
      for (const transport of transports.splice(0)) transport.close();
      for (const server of servers.splice(0)) server.stop();
    },
  };
};

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
