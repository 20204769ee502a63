/**
 * `rxtelnet serve`: the demo MUD, listening for several clients at once.
 *
 * @module
 */
import { firstValueFrom, ReplaySubject, Subject, Subscription } from 'rxjs';
import { createTelnetMetrics, TelnetOption, policyOf, VERSION } from '../../index.js';
import type { Address, TelnetConnection, TelnetMetrics } from '../../index.js';
import type { MsspTable } from '../../mud/index.js';
import { drainOn, listenTelnet } from '../../node/index.js';
import { watchConnection } from '../../session/connection.js';
import type { Drained, DrainOptions } from '../../node/index.js';
import { Realm } from './realm.js';
import { startSession } from './session.js';
import { rooms } from './world.js';

/** Where the server listens and how often vitals tick. */
export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  /** Milliseconds between GMCP Char.Vitals ticks. Default 5000. */
  readonly tickInterval?: number;
  /** Read a load balancer's PROXY header first (`rxtelnet serve --proxy-protocol`). Default false. */
  readonly proxyProtocol?: boolean;
  /** The limits that keep idle and greedy peers out; {@link serverLimits} by default. */
  readonly limits?: Partial<ServerLimits>;
  /** Whose players `who` lists when this server is one of several (`'worker 2 of 4'`); absent: all of them. */
  readonly scope?: string;
  /** What `drain` tells the clients and how long it waits for them; {@link drainDefaults} by default. */
  readonly drain?: DrainOptions;
}

/** The demo's goodbye: a message, and 10 s for the connections to close properly. */
export const drainDefaults: DrainOptions = {
  message: '\r\nThe server is shutting down. Goodbye!\r\n',
  deadline: 10_000,
};

/** What one server lets its peers spend. */
export interface ServerLimits {
  /** Players (connections) at once. */
  readonly maxConnections: number;
  /** Connections at once from one IP address (a household, a few clients each). */
  readonly maxConnectionsPerAddress: number;
  /** Milliseconds a connection may send nothing before it is closed. */
  readonly idleTimeout: number;
  /** Milliseconds a client has to log in. */
  readonly loginTimeout: number;
}

/** The demo's limits: 200 connections, 8 per address, closed after 30 minutes of silence, 60 s to log in. */
export const serverLimits: ServerLimits = {
  maxConnections: 200,
  maxConnectionsPerAddress: 8,
  idleTimeout: 30 * 60_000,
  loginTimeout: 60_000,
};

/** A running server. */
export interface RunningServer {
  /** The bound address (the real port when port 0 was asked). */
  readonly address: Address;
  /** The counters and gauges of this server. */
  readonly metrics: TelnetMetrics;
  /**
   * Stops listening, says goodbye to every client, closes each connection properly (output flushed, a
   * compressed stream ended) and aborts those still open at the deadline; resolves with the summary.
   */
  readonly drain: () => Promise<Drained>;
  /** Stops listening and closes every connection, without waiting. */
  readonly stop: () => void;
}

/**
 * What the server agrees to when a client asks first: it performs EOR, GMCP, MSSP, MCCP2 and SGA, and lets the
 * client perform TTYPE and NAWS. ECHO is only offered by the server itself, for the password prompt.
 */
export const serverPolicy = policyOf({
  local: [TelnetOption.EOR, TelnetOption.GMCP, TelnetOption.MSSP, TelnetOption.MCCP2, TelnetOption.SGA],
  remote: [TelnetOption.TTYPE, TelnetOption.NAWS],
});

const msspTable = (realm: Realm, address: Address): MsspTable => ({
  NAME: 'rxtelnet demo MUD',
  PLAYERS: String(realm.everyone().length),
  UPTIME: String(Math.floor(realm.started / 1000)),
  CODEBASE: `rxtelnet ${VERSION}`,
  PORT: String(address.port),
  ROOMS: String(rooms.size),
  GMCP: '1',
  MCCP: '1',
  ANSI: '0',
  UTF_8: '1',
  'CRAWL DELAY': '-1',
});

/**
 * Starts the demo MUD; resolves once it listens, rejects with a `TransportError` (e.g. `EADDRINUSE`) if it
 * cannot. `log` receives one line per notable event (connections, logins, what each client is).
 *
 * @example
 * ```text
 * const server = await startServer({ host: '127.0.0.1', port: 0 }, console.log);
 * console.log(server.address.port);
 * server.stop();
 * ```
 */
export const startServer = async (options: ServerOptions, log: (line: string) => void): Promise<RunningServer> => {
  const limits: ServerLimits = { ...serverLimits, ...options.limits };
  const realm = new Realm(options.scope);
  const metrics = createTelnetMetrics();
  const connections = new Set<TelnetConnection>();
  const running = new Subscription();
  const bound = new ReplaySubject<Address>(1);
  const stopping = new Subject<void>();
  const drained = new ReplaySubject<Drained>(1);
  let address: Address | undefined;
  running.add(
    listenTelnet({
      host: options.host,
      port: options.port,
      policy: serverPolicy,
      newline: 'raw',
      maxConnections: limits.maxConnections,
      maxConnectionsPerAddress: limits.maxConnectionsPerAddress,
      refusalMessage: 'The realm is full (or you have too many connections open): try again later.\r\n',
      idleTimeout: limits.idleTimeout,
      proxyProtocol: options.proxyProtocol ?? false,
    })
      .pipe(metrics.track(), drainOn(stopping, options.drain ?? drainDefaults))
      .subscribe({
        next: (event) => {
          if (event._tag === 'Draining') {
            log(`draining: closing ${event.connections} connection${event.connections === 1 ? '' : 's'}`);
            return;
          }
          if (event._tag === 'Drained') {
            log(`drained: ${event.graceful} closed properly, ${event.forced} forced`);
            drained.next(event);
            drained.complete();
            return;
          }
          if (event._tag === 'Listening') {
            address = event.address;
            bound.next(event.address);
            return;
          }
          if (event._tag === 'Refused') {
            const why = event.code === undefined ? event.reason : `${event.reason} ${event.code}`;
            log(`[${event.peer.address}:${event.peer.port}] refused: ${why}`);
            return;
          }
          const { connection } = event;
          connections.add(connection);
          const session = startSession(connection, {
            realm,
            log,
            mssp: () => msspTable(realm, address ?? connection.getHost()),
            tickInterval: options.tickInterval ?? 5000,
            loginTimeout: limits.loginTimeout,
          });
          running.add(session);
          watchConnection(connection, {
            ended: () => {
              connections.delete(connection);
              session.unsubscribe();
              running.remove(session);
            },
          });
        },
        error: (error: unknown) => {
          bound.error(error);
        },
      }),
  );
  const where = await firstValueFrom(bound);
  return {
    address: where,
    metrics,
    drain: () => {
      stopping.next();
      return firstValueFrom(drained);
    },
    stop: () => {
      running.unsubscribe();
      for (const connection of connections) connection.loseConnection();
    },
  };
};
