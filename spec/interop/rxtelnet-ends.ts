/**
 * Our side of the interop tests: rxtelnet clients and servers on 127.0.0.1 that a test can wait on, and that
 * {@link RxtelnetEnds.closeAll} shuts down (every connection closed, every listener stopped) in `afterEach`.
 */
import { firstValueFrom, type Observable, type Subscription, timeout } from 'rxjs';
import type { TelnetEvent } from '../../src/codec/events.js';
import type { ConnectionOptions, TelnetConnection } from '../../src/session/connection.js';
import { connectTelnet, listenTelnet } from '../../src/node/telnet.js';

const DEFAULT_WAIT_MS = 5_000;
const CLOSE_WAIT_MS = 3_000;

/** How a negotiation request ended: its single value, or its error. */
export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** Subscribes to `request` now (which sends it) and resolves with how it ended, within `timeoutMs`. */
export const settle = <T>(request: Observable<T>, timeoutMs = DEFAULT_WAIT_MS): Promise<Settled<T>> =>
  firstValueFrom(request.pipe(timeout(timeoutMs))).then(
    (value): Settled<T> => ({ ok: true, value }),
    (error: unknown): Settled<T> => ({ ok: false, error }),
  );

/** The error a settled request failed with (`undefined` when it succeeded). */
export const errorOf = <T>(settled: Settled<T>): unknown => (settled.ok ? undefined : settled.error);

/** Resolves with the first value of `source` (a hot or replaying stream), or rejects after `timeoutMs`. */
export const first = <T>(source: Observable<T>, timeoutMs = DEFAULT_WAIT_MS): Promise<T> =>
  firstValueFrom(source.pipe(timeout(timeoutMs)));

/**
 * Everything one connection received, recorded from the moment it was handed to the test: its events in order
 * and whether `events$` has completed.
 */
export class ConnectionLog {
  readonly events: TelnetEvent[] = [];
  completed = false;
  private readonly listeners = new Set<() => void>();

  constructor(readonly connection: TelnetConnection) {
    connection.events$.subscribe({
      next: (event) => {
        this.events.push(event);
        this.notify();
      },
      complete: () => {
        this.completed = true;
        this.notify();
      },
    });
  }

  /** Every data byte so far, concatenated. */
  data(): Buffer {
    return Buffer.concat(this.events.flatMap((event) => (event._tag === 'Data' ? [event.bytes] : [])));
  }

  /** Resolves once the log satisfies `predicate`; rejects when `events$` completes first or after `timeoutMs`. */
  waitFor(predicate: (log: ConnectionLog) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate(this)) {
          done();
          resolve();
        } else if (this.completed) {
          done();
          reject(new Error(`the connection closed first; events: ${this.describe()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`not seen within ${timeoutMs} ms; events: ${this.describe()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves once `data()` holds at least `length` bytes. */
  waitForData(length: number, timeoutMs = DEFAULT_WAIT_MS): Promise<Buffer> {
    return this.waitFor((log) => log.data().length >= length, timeoutMs).then(() => this.data());
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private describe(): string {
    return JSON.stringify(this.events.slice(-20), (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
    );
  }
}

/** A listening rxtelnet server. */
export interface OurServer {
  readonly port: number;
  /** Resolves with the next accepted connection (in accept order), already logged. */
  readonly accepted: () => Promise<ConnectionLog>;
}

/** The rxtelnet clients and servers of one test file. */
export class RxtelnetEnds {
  private readonly subscriptions: Subscription[] = [];
  private readonly connections: TelnetConnection[] = [];

  /** Connects an rxtelnet client to 127.0.0.1:`port` and resolves once connected. */
  client(port: number, options: ConnectionOptions = {}): Promise<ConnectionLog> {
    return new Promise((resolve, reject) => {
      this.subscriptions.push(
        connectTelnet({ host: '127.0.0.1', port, timeout: DEFAULT_WAIT_MS, ...options }).subscribe({
          next: (connection) => {
            this.connections.push(connection);
            resolve(new ConnectionLog(connection));
          },
          error: reject,
        }),
      );
    });
  }

  /** Starts an rxtelnet server on 127.0.0.1 with a port the system picks. */
  server(options: ConnectionOptions = {}): Promise<OurServer> {
    const logs: ConnectionLog[] = [];
    const waiting: ((log: ConnectionLog) => void)[] = [];
    let taken = 0;
    const accepted = (): Promise<ConnectionLog> => {
      const index = taken++;
      const log = logs[index];
      return log !== undefined
        ? Promise.resolve(log)
        : new Promise((resolve) => {
            waiting[index] = resolve;
          });
    };
    return new Promise((resolve, reject) => {
      this.subscriptions.push(
        listenTelnet({ host: '127.0.0.1', port: 0, ...options }).subscribe({
          next: (event) => {
            if (event._tag === 'Listening') {
              resolve({ port: event.address.port, accepted });
              return;
            }
            if (event._tag !== 'Connected') return;
            this.connections.push(event.connection);
            const log = new ConnectionLog(event.connection);
            logs.push(log);
            waiting[logs.length - 1]?.(log);
          },
          error: reject,
        }),
      );
    });
  }

  /** Closes every connection, waits (boundedly) until each has ended, and stops every listener. */
  async closeAll(): Promise<void> {
    const connections = this.connections.splice(0);
    for (const connection of connections) connection.loseConnection();
    await Promise.all(connections.map((connection) => first(connection.closed$, CLOSE_WAIT_MS).catch(() => undefined)));
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }
}
