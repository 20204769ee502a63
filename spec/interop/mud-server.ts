/**
 * A small MUD server built with rxtelnet, for interop tests against real MUD clients: on each connection it asks
 * DO TTYPE (collecting the MTTS cycle with `requestTerminalTypes`), DO NAWS (reading `windowSizes`), WILL EOR and
 * WILL MCCP2 (and whatever else it is told to offer); once those requests have settled (the connection compresses by itself when the client agrees) it
 * writes a welcome line and a prompt. Everything it learns is kept on a {@link MudSession}.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import { lines, type TextLine } from '../../src/operators/lines.js';
import { sendPrompt } from '../../src/option-helpers/eor.js';
import { type WindowSize } from '../../src/options/naws.js';
import { windowSizes } from '../../src/option-helpers/naws.js';
import { mudServerPolicy } from '../../src/options/presets.js';
import { type TtypeReport } from '../../src/options/ttype.js';
import { requestTerminalTypes } from '../../src/option-helpers/ttype.js';
import { TelnetOption } from '../../src/protocol/options.js';
import type { CompressionEvent, OptionSideState, TelnetConnection } from '../../src/session/connection.js';
import { listenTelnet } from '../../src/node/telnet.js';
import { ConnectionLog, first, settle, type Settled } from './rxtelnet-ends.js';

/** What one client connection told the server, filled in as it happens. */
export interface MudSession {
  readonly connection: TelnetConnection;
  /** Every event the connection decoded. */
  readonly log: ConnectionLog;
  /** The TTYPE collection's outcome. */
  readonly ttype: Promise<Settled<TtypeReport>>;
  /** How our WILL MCCP2 ended. */
  readonly mccp2: Promise<Settled<OptionSideState>>;
  /** How our WILL EOR ended. */
  readonly eor: Promise<Settled<OptionSideState>>;
  /** Every window size the client reported (malformed ones are kept as `undefined`). */
  readonly sizes: (WindowSize | undefined)[];
  /** The compressed streams that started or ended. */
  readonly compression: CompressionEvent[];
  /** The text lines and prompts received. */
  readonly lines: TextLine[];
  /** Resolves once the welcome line and the prompt have been written. */
  readonly welcomed: Promise<void>;
}

/** What the MUD server writes. */
export interface MudGreeting {
  readonly welcome: string;
  readonly prompt: string;
  /** Options to offer with WILL besides EOR and MCCP2 (e.g. ECHO and SGA for a client's character mode). */
  readonly offers?: readonly number[];
}

/** A listening MUD test server. */
export interface MudServer {
  readonly port: number;
  /** Resolves with the first connection's session. */
  readonly session: Promise<MudSession>;
  /** Closes every connection (waiting boundedly for each to end) and stops listening. */
  readonly close: () => Promise<void>;
}

const REQUEST_WAIT_MS = 8_000;

const openSession = (connection: TelnetConnection, greeting: MudGreeting): MudSession => {
  const sizes: (WindowSize | undefined)[] = [];
  windowSizes(connection).subscribe((size) => sizes.push(E.isRight(size) ? size.right : undefined));
  const compression: CompressionEvent[] = [];
  connection.compression$.subscribe((event) => compression.push(event));
  const received: TextLine[] = [];
  connection.events$.pipe(lines()).subscribe((line) => received.push(line));
  // Last, so that a test waiting on the log sees what the collectors above made of the same event.
  const log = new ConnectionLog(connection);

  const ttype = settle(requestTerminalTypes(connection, { timeout: REQUEST_WAIT_MS }), REQUEST_WAIT_MS + 1_000);
  void settle(connection.do(TelnetOption.TTYPE), REQUEST_WAIT_MS);
  void settle(connection.do(TelnetOption.NAWS), REQUEST_WAIT_MS);
  const eor = settle(connection.will(TelnetOption.EOR), REQUEST_WAIT_MS);
  const mccp2 = settle(connection.will(TelnetOption.MCCP2), REQUEST_WAIT_MS);
  const offered = (greeting.offers ?? []).map((option) => settle(connection.will(option), REQUEST_WAIT_MS));
  // After MCCP2 settled: when the client agreed, these bytes leave compressed.
  const welcomed = Promise.all([mccp2, eor, ...offered]).then(() => {
    connection.write(`${greeting.welcome}\n`);
    sendPrompt(connection, greeting.prompt);
  });
  return { connection, log, ttype, mccp2, eor, sizes, compression, lines: received, welcomed };
};

/**
 * Starts the MUD server on 127.0.0.1 with a port the system picks.
 *
 * @example
 * ```ts
 * const server = await startMudServer({ welcome: 'Welcome!', prompt: '> ' });
 * // ... point a client at server.port ...
 * const session = await server.session;
 * await server.close();
 * ```
 */
export const startMudServer = (greeting: MudGreeting): Promise<MudServer> => {
  const connections: TelnetConnection[] = [];
  let resolveSession: (session: MudSession) => void = () => undefined;
  const session = new Promise<MudSession>((resolve) => {
    resolveSession = resolve;
  });
  let listening: Subscription | undefined;
  const close = async (): Promise<void> => {
    listening?.unsubscribe();
    for (const connection of connections) connection.loseConnection();
    await Promise.all(connections.map((connection) => first(connection.closed$, 3_000).catch(() => undefined)));
  };
  return new Promise((resolve, reject) => {
    listening = listenTelnet({ host: '127.0.0.1', port: 0, policy: mudServerPolicy }).subscribe({
      next: (event) => {
        if (event._tag === 'Listening') {
          resolve({ port: event.address.port, session, close });
          return;
        }
        if (event._tag !== 'Connected') return;
        connections.push(event.connection);
        resolveSession(openSession(event.connection, greeting));
      },
      error: reject,
    });
  });
};
