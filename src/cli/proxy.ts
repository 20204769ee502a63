/**
 * `rxtelnet proxy`: relays each client to a server, bytes unchanged both ways, and logs every event decoded
 * from each direction (like libtelnet's telnet-proxy). MCCP2 from the server is inflated for the log only.
 * What the client types while the server echoes (a password) is masked in the log unless `logPasswords`.
 * When the server cannot be reached or goes away, the client is told in one line before it is closed.
 *
 * @module
 */
import { firstValueFrom, ReplaySubject, Subscription } from 'rxjs';
import { TelnetOption } from '../index.js';
import type { Address, Transport } from '../index.js';
import { connectTcp, listenTcp, nodeCompression } from '../node/index.js';
import { formatTarget } from './args.js';
import { maskedDescriptions } from './hidden-input.js';
import { streamLog } from './stream-log.js';
import type { StreamLog } from './stream-log.js';

/** Where the proxy listens and where it relays to. */
export interface ProxyOptions {
  /** Loopback port to listen on (0: any free port). */
  readonly listenPort: number;
  /** Interface to listen on; default 127.0.0.1. */
  readonly listenHost?: string;
  readonly host: string;
  readonly port: number;
  /** Log what the client types while the server echoes (passwords) instead of a mask. Default false. */
  readonly logPasswords?: boolean;
}

/** A running proxy. */
export interface RunningProxy {
  readonly address: Address;
  /** Stops listening and closes every relayed connection. */
  readonly stop: () => void;
}

/**
 * Copies `from`'s input to `to`, logging it; pauses `from` while `to` is full. When `from` ends, `ended` is told
 * why (the error, or `undefined` for a close) before `to` is closed.
 */
const relay = (from: Transport, to: Transport, log: StreamLog, ended: (error: unknown) => void): Subscription => {
  const finish = (error: unknown): void => {
    log.end();
    ended(error);
    to.close();
  };
  return from.input.subscribe({
    next: (chunk) => {
      log.write(chunk);
      if (!to.write(chunk) && to.drain !== undefined) {
        from.pause?.();
        to.drain.subscribe(() => from.resume?.());
      }
    },
    error: finish,
    complete: () => {
      finish(undefined);
    },
  });
};

const describe = (address: Address): string => `${address.address}:${address.port}`;

/** An error's code (`ECONNREFUSED`, `ETIMEDOUT`) or, without one, its message. */
const reasonOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : error instanceof Error
      ? error.message
      : String(error);

const encoder = new TextEncoder();

/** Tells a client, on a line of its own, what happened to the server. */
const tell = (client: Transport, message: string): void => {
  client.write(encoder.encode(`\r\nrxtelnet proxy: ${message}\r\n`));
};

/**
 * Starts the proxy; resolves once it listens. Each log line is `[n] C->S event` (what client n sent) or
 * `[n] S->C event` (what the server sent it). A client whose server refuses, cannot be reached, times out (after
 * `connectTcp`'s 10 s) or goes away reads `rxtelnet proxy: upstream HOST:PORT is down (ECONNREFUSED)` (or
 * `... closed the connection`, `... dropped the connection (ECONNRESET)`) before it is closed; the notice is left out
 * while the server's output is compressed, where plain text would corrupt the stream.
 *
 * @example
 * ```text
 * const proxy = await startProxy({ listenPort: 0, host: '127.0.0.1', port: 4000 }, console.log);
 * // [1] S->C WILL GMCP
 * // [1] C->S DO GMCP
 * ```
 */
export const startProxy = async (options: ProxyOptions, log: (line: string) => void): Promise<RunningProxy> => {
  const running = new Subscription();
  const bound = new ReplaySubject<Address>(1);
  let count = 0;
  const upstream = formatTarget(options.host, options.port);
  const pair = (id: number, client: Transport, server: Transport): void => {
    const print = (line: string): void => {
      log(`[${id}] ${line}`);
    };
    let open = 2;
    let clientOpen = true;
    const ended = (): void => {
      open--;
      if (open === 0) print('closed');
    };
    const descriptions = maskedDescriptions();
    const fromClient = options.logPasswords === true ? undefined : descriptions.fromClient;
    const toServer = streamLog('C->S', TelnetOption.MCCP3, nodeCompression, print, fromClient);
    const toClient = streamLog('S->C', TelnetOption.MCCP2, nodeCompression, print, descriptions.fromServer);
    const serverEnded = (error: unknown): void => {
      const what = error === undefined ? 'closed the connection' : `dropped the connection (${reasonOf(error)})`;
      if (clientOpen) {
        print(`upstream ${upstream} ${what}`);
        if (!toClient.compressing()) tell(client, `upstream ${upstream} ${what}`);
      }
      ended();
    };
    print(`connected to ${upstream}`);
    running.add(
      relay(client, server, toServer, () => {
        clientOpen = false;
        ended();
      }),
    );
    running.add(relay(server, client, toClient, serverEnded));
    running.add(() => {
      client.close();
      server.close();
    });
  };
  running.add(
    listenTcp({ host: options.listenHost ?? '127.0.0.1', port: options.listenPort }).subscribe({
      next: (event) => {
        if (event._tag === 'Listening') {
          bound.next(event.address);
          return;
        }
        if (event._tag === 'Refused') return; // the proxy sets no caps
        const client = event.transport;
        const id = ++count;
        log(`[${id}] client ${describe(client.peer)} connected`);
        running.add(
          connectTcp({ host: options.host, port: options.port }).subscribe({
            next: (server) => {
              pair(id, client, server);
            },
            error: (error: unknown) => {
              const message = `upstream ${upstream} is down (${reasonOf(error)})`;
              log(`[${id}] ${message}`);
              tell(client, message);
              client.close();
            },
          }),
        );
      },
      error: (error: unknown) => {
        bound.error(error);
      },
    }),
  );
  const address = await firstValueFrom(bound);
  return {
    address,
    stop: () => {
      running.unsubscribe();
    },
  };
};
