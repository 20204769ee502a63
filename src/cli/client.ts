/**
 * `rxtelnet connect`: an interactive Telnet client on the library's public API.
 *
 * @module
 */
import {
  catchError,
  distinctUntilChanged,
  EMPTY,
  filter,
  firstValueFrom,
  fromEvent,
  map,
  merge,
  type Observable,
  of,
  startWith,
  Subscription,
  switchMap,
  take,
  timer,
} from 'rxjs';
import {
  answerTerminalType,
  Command,
  createConnection,
  TelnetOption,
  optionName,
  policyOf,
  sendWindowSize,
  VERSION,
} from '../index.js';
import { sendGmcp } from '../mud/index.js';
import type { CloseReason, TelnetConnection, Transport, WindowSize } from '../index.js';
import { connectTcp, nodeCompression } from '../node/index.js';
import { formatTarget } from './args.js';
import { interpretEscapeCommand } from './escape-command.js';
import { startKeyboard } from './keyboard.js';
import type { KeyboardInput } from './keyboard.js';
import { createScreen } from './screen.js';
import type { Screen } from './screen.js';
import { terminalTypes } from './terminal-types.js';
import { traceLink } from './tracer.js';

/** What `rxtelnet connect` was asked to do. */
export interface ClientOptions {
  readonly host: string;
  readonly port: number;
  /** Print every negotiation, command and subnegotiation on stderr. */
  readonly trace: boolean;
  /**
   * Lines to type instead of reading stdin: one is sent after each prompt mark (GA or EOR) and shown on stdout
   * as if typed, unless the server echoes (a hidden password). The demo's scripted session. The session ends when the server closes.
   */
  readonly script?: readonly string[];
  /** After stdin ends, how long the server may stay silent before we close. Default 1500 ms. */
  readonly idleAfterInput?: number;
}

/** The process streams the client uses. */
export interface ClientIo {
  readonly stdin: KeyboardInput;
  readonly stdout: NodeJS.WritableStream & {
    readonly isTTY?: boolean;
    readonly columns?: number;
    readonly rows?: number;
  };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** A connection that ended badly: the process exits non-zero with this one-line message. */
export class SessionError extends Error {
  readonly _tag = 'SessionError';
  override readonly name = 'SessionError';
}

const DEFAULT_IDLE_AFTER_INPUT = 1500;

/**
 * What the client accepts when the server asks: the server may echo, suppress go-ahead, compress (MCCP2), speak
 * GMCP, mark prompts with EOR and send MSSP; we perform TTYPE and NAWS.
 */
export const clientPolicy = policyOf({
  local: [TelnetOption.TTYPE, TelnetOption.NAWS],
  remote: [
    TelnetOption.ECHO,
    TelnetOption.SGA,
    TelnetOption.MCCP2,
    TelnetOption.GMCP,
    TelnetOption.EOR,
    TelnetOption.MSSP,
  ],
});

/** Whether `option` is on locally (`'local'`) or remotely, as a stream of distinct booleans. */
const enabled = (connection: TelnetConnection, option: number, side: 'local' | 'remote'): Observable<boolean> =>
  connection.option$(option).pipe(
    map((state) => state[side]),
    distinctUntilChanged(),
  );

/** Introduces the client with `Core.Hello` and `Core.Supports.Set` once the server turns GMCP on. */
const greetOverGmcp = (connection: TelnetConnection): Subscription =>
  enabled(connection, TelnetOption.GMCP, 'remote')
    .pipe(filter(Boolean))
    .subscribe(() => {
      sendGmcp(connection, 'Core.Hello', { client: 'rxtelnet', version: VERSION });
      sendGmcp(connection, 'Core.Supports.Set', ['Char 1', 'Char.Vitals 1', 'Room 1']);
    });

/** The terminal's size and its changes; 80x24 when stdout is not a terminal. */
const terminalSizes = (stdout: ClientIo['stdout']): Observable<WindowSize> => {
  const size = (): WindowSize => ({ width: stdout.columns ?? 80, height: stdout.rows ?? 24 });
  return stdout.isTTY === true ? fromEvent(stdout, 'resize').pipe(map(size), startWith(size())) : of(size());
};

/** Offers an option we want to perform; a refusal is fine. */
const offer = (connection: TelnetConnection, option: number): Subscription =>
  connection
    .will(option)
    .pipe(catchError(() => EMPTY))
    .subscribe();

/** Bytes on the wire each way (compressed as sent), for `status`. */
interface WireCounts {
  received: number;
  sent: number;
}

/** `transport`, counting the bytes that pass into `counts`. */
const counted = (transport: Transport, counts: WireCounts): Transport => ({
  ...transport,
  input: transport.input.pipe(
    map((chunk) => {
      counts.received += chunk.length;
      return chunk;
    }),
  ),
  write: (bytes) => {
    counts.sent += bytes.length;
    return transport.write(bytes);
  },
});

/** The `status` escape command: where we are connected, the options in effect on each side, bytes each way. */
const describeStatus = (connection: TelnetConnection, peer: string, counts: WireCounts): string => {
  const local: string[] = [];
  const remote: string[] = [];
  for (const option of [
    TelnetOption.BINARY,
    TelnetOption.ECHO,
    TelnetOption.SGA,
    TelnetOption.TTYPE,
    TelnetOption.EOR,
    TelnetOption.NAWS,
    TelnetOption.MSSP,
    TelnetOption.MCCP2,
    TelnetOption.GMCP,
  ]) {
    if (connection.isEnabled('local', option)) local.push(optionName(option));
    if (connection.isEnabled('remote', option)) remote.push(optionName(option));
  }
  return (
    `Connected to ${peer}.\n` +
    `  we perform: ${local.join(' ') || '(none)'}\n` +
    `  the server performs: ${remote.join(' ') || '(none)'}\n` +
    `  bytes received: ${counts.received}, sent: ${counts.sent}\n`
  );
};

const closeMessage = (reason: CloseReason): string | undefined => {
  switch (reason._tag) {
    case 'ClosedByUs':
    case 'ClosedByPeer':
      return undefined;
    case 'CompressionFailed':
      return `the server's compressed stream is corrupt: ${reason.error.message}`;
    case 'IdleTimeout':
      return `the server sent nothing for ${reason.idleTimeout} ms`;
    case 'TransportFailed':
      return `connection failed: ${reason.error instanceof Error ? reason.error.message : String(reason.error)}`;
    case 'OutputOverflow':
      return `the server did not read what we sent (${reason.buffered} bytes waited, limit ${reason.limit})`;
    case 'InputFailed':
      return `reading the server's data failed: ${reason.error instanceof Error ? reason.error.message : String(reason.error)}`;
  }
};

/**
 * Types `script` one line per prompt (GA or EOR), showing each line as if typed. A line is typed once the chunk
 * that held the prompt mark has been handled, so that the trace of that chunk reads before the line it caused.
 */
const playScript = (
  connection: TelnetConnection,
  script: readonly string[],
  show: (text: string) => void,
): Subscription => {
  let next = 0;
  return connection.commands$
    .pipe(filter((event) => event.command === Command.GA || event.command === Command.EOR))
    .subscribe(() => {
      const line = script[next];
      if (line === undefined) return;
      next++;
      queueMicrotask(() => {
        if (!connection.isEnabled('remote', TelnetOption.ECHO)) show(`${line}\n`);
        connection.write(`${line}\n`);
      });
    });
};

/**
 * Connects to `options.host`:`options.port` and runs the session until it ends: the server closes, the user
 * types Ctrl-] then `quit`, or stdin ends and the server then stays quiet for a moment. Resolves with the
 * exit code (0); rejects with a `TransportError` from `rxtelnet/node` when the connection cannot be made, or a
 * {@link SessionError} when it breaks.
 *
 * @example
 * ```text
 * const code = await runClient({ host: '127.0.0.1', port: 4000, trace: true }, { ...process, env: process.env });
 * ```
 */
export const runClient = async (
  options: ClientOptions,
  io: ClientIo,
  screen: Screen = createScreen(io),
): Promise<number> => {
  const counts: WireCounts = { received: 0, sent: 0 };
  const raw = counted(await firstValueFrom(connectTcp({ host: options.host, port: options.port })), counts);
  const link = options.trace
    ? traceLink(raw, nodeCompression, screen.trace)
    : { transport: raw, compression: nodeCompression, watch: undefined };
  const connection = createConnection(link.transport, { policy: clientPolicy, compression: link.compression });
  const session = new Subscription();
  const show = (text: string): void => {
    screen.output(text);
  };

  session.add(
    connection.data$.subscribe((bytes) => {
      screen.output(bytes);
    }),
  );
  session.add(answerTerminalType(connection, terminalTypes(io.env)).subscribe());
  session.add(sendWindowSize(connection, terminalSizes(io.stdout)).subscribe());
  session.add(greetOverGmcp(connection));
  session.add(offer(connection, TelnetOption.TTYPE));
  session.add(offer(connection, TelnetOption.NAWS));

  if (options.script === undefined) {
    const keyboard = startKeyboard({
      input: io.stdin,
      send: (bytes) => {
        connection.write(bytes);
      },
      screen,
      interrupt: () => {
        connection.loseConnection();
      },
      command: (line) => {
        const action = interpretEscapeCommand(line, () =>
          describeStatus(connection, formatTarget(options.host, options.port), counts),
        );
        if (action._tag === 'Quit') {
          connection.loseConnection();
          return true;
        }
        show(action.message);
        return false;
      },
      end: () => {
        const idle = options.idleAfterInput ?? DEFAULT_IDLE_AFTER_INPUT;
        session.add(
          merge(connection.events$, of(undefined))
            .pipe(
              switchMap(() => timer(idle)),
              take(1),
            )
            .subscribe(() => {
              connection.loseConnection();
            }),
        );
      },
    });
    session.add(() => {
      keyboard.stop();
    });
    session.add(enabled(connection, TelnetOption.ECHO, 'remote').subscribe(keyboard.setRemoteEcho));
  } else {
    session.add(playScript(connection, options.script, show));
  }

  // Last, so that what the other subscribers send in answer to an event is traced after that event.
  if (link.watch !== undefined) session.add(link.watch(connection));
  const reason = await firstValueFrom(connection.closed$);
  session.unsubscribe();
  const message = closeMessage(reason);
  if (message !== undefined) throw new SessionError(message);
  return 0;
};
