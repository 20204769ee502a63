/**
 * Counters and gauges of a Telnet server, fed by its events and each connection's streams: plain numbers
 * (a snapshot, or a stream of them), for any exporter. `rxtelnet/node`'s `registerTelnetMetrics` shows them
 * to Prometheus.
 *
 * @module
 */
import { asyncScheduler, map, tap, timer } from 'rxjs';
import type { MonoTypeOperatorFunction, Observable, SchedulerLike } from 'rxjs';
import { watchConnection } from './connection.js';
import type { ConnectionStats, TelnetConnection } from './connection.js';

/**
 * The counters of a {@link TelnetMetrics} at one moment. Counts keyed by a reason or a code hold only those
 * seen so far. Byte and negotiation totals cover every connection, open or closed.
 *
 * @example
 * ```ts
 * import type { TelnetMetricsSnapshot } from 'rxtelnet';
 * const refusedInAll = (snapshot: TelnetMetricsSnapshot): number =>
 *   Object.values(snapshot.connectionsRefused).reduce((sum, count) => sum + count, 0);
 * ```
 */
export interface TelnetMetricsSnapshot extends ConnectionStats {
  /** Connections open now. */
  readonly connectionsOpen: number;
  /** Connections accepted since the start. */
  readonly connectionsAccepted: number;
  /** Connections refused, by the limit that refused them (`MaxConnections`, `MaxConnectionsPerAddress`...). */
  readonly connectionsRefused: Readonly<Record<string, number>>;
  /** Connections closed, by the `_tag` of their `CloseReason` (`ClosedByPeer`, `IdleTimeout`...). */
  readonly connectionsClosed: Readonly<Record<string, number>>;
  /** Warnings of every connection, by code (`StraySE`, `NegotiationStorm`...). */
  readonly warnings: Readonly<Record<string, number>>;
}

/**
 * What {@link TelnetMetrics.track} reads from a server's event stream: `Connected` events (with their
 * `connection`) and `Refused` ones (with their `reason`); anything else passes uncounted. `listenTelnet`'s events
 * fit it.
 *
 * @example
 * ```ts
 * import type { CountedEvent, TelnetConnection } from 'rxtelnet';
 * declare const connection: TelnetConnection;
 * const events: readonly CountedEvent[] = [{ _tag: 'Connected', connection }, { _tag: 'Refused', reason: 'MaxConnections' }];
 * ```
 */
export interface CountedEvent {
  readonly _tag: string;
  readonly connection?: TelnetConnection;
  readonly reason?: string;
}

/**
 * The metrics of one server (or of any set of connections). Cheap: nothing is counted per byte, the byte totals
 * are read from each connection's {@link TelnetConnection.stats} when a snapshot is taken.
 *
 * @example
 * ```ts
 * import { createTelnetMetrics } from 'rxtelnet';
 * import type { TelnetConnection } from 'rxtelnet';
 * declare const connection: TelnetConnection;
 * const metrics = createTelnetMetrics();
 * metrics.observe(connection);
 * console.log(metrics.snapshot().connectionsOpen); // 1, until it closes
 * ```
 */
export interface TelnetMetrics {
  /** Counts `connection` from now until it closes: accepted, open, its bytes, negotiations and warnings. */
  observe(connection: TelnetConnection): void;
  /** Counts a connection refused because of `reason`. */
  refused(reason: string): void;
  /**
   * An operator for a server's event stream (`listenTelnet(...).pipe(metrics.track())`): observes every
   * `Connected` connection and counts every `Refused` event, passing all events on as they are.
   */
  track<E extends CountedEvent>(): MonoTypeOperatorFunction<E>;
  /** The counters now. */
  snapshot(): TelnetMetricsSnapshot;
  /**
   * A snapshot at once, then one every `intervalMs` (on `scheduler`, `asyncScheduler` by default) while
   * subscribed. `intervalMs` must be a positive finite number (else a RangeError).
   */
  snapshots(intervalMs: number, scheduler?: SchedulerLike): Observable<TelnetMetricsSnapshot>;
}

type MutableStats = { -readonly [K in keyof ConnectionStats]: number };

const zeroStats = (): MutableStats => ({
  bytesReceived: 0,
  bytesSent: 0,
  compressedBytesReceived: 0,
  inflatedBytesReceived: 0,
  compressedBytesSent: 0,
  uncompressedBytesSent: 0,
  negotiationsReceived: 0,
  negotiationsSent: 0,
});

const statKeys = Object.keys(zeroStats()) as readonly (keyof ConnectionStats)[];

const add = (into: MutableStats, stats: ConnectionStats): void => {
  for (const key of statKeys) into[key] += stats[key];
};

const bump = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

/**
 * Creates an empty {@link TelnetMetrics}. Feed it with `track()` on a server's events, or `observe` and
 * `refused` by hand; read it with `snapshot()` or `snapshots(ms)`.
 *
 * @example
 * ```ts
 * import { createTelnetMetrics } from 'rxtelnet';
 * import { listenTelnet } from 'rxtelnet/node';
 * const metrics = createTelnetMetrics();
 * listenTelnet({ port: 4000 }).pipe(metrics.track()).subscribe((event) => {
 *   if (event._tag === 'Connected') event.connection.write('Welcome!\r\n');
 * });
 * metrics.snapshots(60_000).subscribe((snapshot) => console.log(snapshot.connectionsOpen, snapshot.bytesSent));
 * ```
 */
export const createTelnetMetrics = (): TelnetMetrics => {
  const open = new Set<TelnetConnection>();
  /** The final counts of the connections that closed. */
  const ofClosed = zeroStats();
  let accepted = 0;
  const refusedBy = new Map<string, number>();
  const closedBy = new Map<string, number>();
  const warnings = new Map<string, number>();

  const observe = (connection: TelnetConnection): void => {
    if (open.has(connection)) return;
    accepted++;
    open.add(connection);
    watchConnection(connection, {
      warned: (warning) => {
        bump(warnings, warning.code);
      },
      ended: (reason) => {
        open.delete(connection);
        add(ofClosed, connection.stats());
        bump(closedBy, reason._tag);
      },
    });
  };
  const refused = (reason: string): void => {
    bump(refusedBy, reason);
  };
  const snapshot = (): TelnetMetricsSnapshot => {
    const totals = { ...ofClosed };
    for (const connection of open) add(totals, connection.stats());
    return {
      ...totals,
      connectionsOpen: open.size,
      connectionsAccepted: accepted,
      connectionsRefused: Object.fromEntries(refusedBy),
      connectionsClosed: Object.fromEntries(closedBy),
      warnings: Object.fromEntries(warnings),
    };
  };
  return {
    observe,
    refused,
    snapshot,
    track:
      <E extends CountedEvent>(): MonoTypeOperatorFunction<E> =>
      (events) =>
        events.pipe(
          tap((event) => {
            if (event._tag === 'Connected' && event.connection !== undefined) observe(event.connection);
            else if (event._tag === 'Refused' && event.reason !== undefined) refused(event.reason);
          }),
        ),
    snapshots: (intervalMs, scheduler = asyncScheduler) => {
      if (!(intervalMs > 0 && intervalMs !== Infinity)) {
        throw new RangeError(`intervalMs must be a positive number of ms, got ${intervalMs}`);
      }
      return timer(0, intervalMs, scheduler).pipe(map(snapshot));
    },
  };
};
