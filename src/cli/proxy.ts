/**
 * `rxtelnet proxy`: relays each client to a server, bytes unchanged both ways, and logs every event decoded
 * from each direction (like libtelnet's telnet-proxy). MCCP2 from the server is inflated for the log only.
 *
 * @module
 */
import { firstValueFrom, ReplaySubject, Subscription } from 'rxjs';
import { TelnetOption } from '../index.js';
import type { Address, Transport } from '../index.js';
import { connectTcp, listenTcp, nodeCompression } from '../node/index.js';
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
}

/** A running proxy. */
export interface RunningProxy {
  readonly address: Address;
  /** Stops listening and closes every relayed connection. */
  readonly stop: () => void;
}

/** Copies `from`'s input to `to`, logging it; pauses `from` while `to` is full. Closes `to` when `from` ends. */
const relay = (from: Transport, to: Transport, log: StreamLog, ended: () => void): Subscription =>
  from.input.subscribe({
    next: (chunk) => {
      log.write(chunk);
      if (!to.write(chunk) && to.drain !== undefined) {
        from.pause?.();
        to.drain.subscribe(() => from.resume?.());
      }
    },
    error: () => {
      log.end();
      to.close();
      ended();
    },
    complete: () => {
      log.end();
      to.close();
      ended();
    },
  });

const describe = (address: Address): string => `${address.address}:${address.port}`;

/**
 * Starts the proxy; resolves once it listens. Each log line is `[n] C->S event` (what client n sent) or
 * `[n] S->C event` (what the server sent it).
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
  const pair = (id: number, client: Transport, server: Transport): void => {
    const print = (line: string): void => {
      log(`[${id}] ${line}`);
    };
    let open = 2;
    const ended = (): void => {
      open--;
      if (open === 0) print('closed');
    };
    print(`connected to ${options.host}:${options.port}`);
    running.add(relay(client, server, streamLog('C->S', TelnetOption.MCCP3, nodeCompression, print), ended));
    running.add(relay(server, client, streamLog('S->C', TelnetOption.MCCP2, nodeCompression, print), ended));
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
              log(
                `[${id}] cannot reach ${options.host}:${options.port}: ${error instanceof Error ? error.message : String(error)}`,
              );
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
