import { Subject } from 'rxjs';
import type { Address, Transport } from '../transport/types.js';

/**
 * A transport the test drives by hand, synchronously: `receive` plays the peer, `written` records what the
 * connection wrote (each chunk copied), `closeCalls` counts its `close()` calls.
 *
 * @example
 * ```ts
 * import { createConnection } from 'rxtelnet';
 * import { manualTransport, type ManualTransport } from 'rxtelnet/testing';
 * const transport: ManualTransport = manualTransport();
 * createConnection(transport).write('hi');
 * transport.wire(); // [104, 105]
 * ```
 */
export interface ManualTransport extends Transport {
  readonly written: readonly Uint8Array[];
  /** Everything written so far, as one array of byte values. */
  readonly wire: () => number[];
  /** Forgets what was written so far (`written` and `wire()` start empty again). */
  readonly clearWritten: () => void;
  /** Delivers these byte values to the connection at once. */
  readonly receive: (...bytes: number[]) => void;
  /** Delivers one chunk to the connection at once. */
  readonly receiveChunk: (chunk: Uint8Array) => void;
  /** Ends the peer's side (the input completes). */
  readonly peerCloses: () => void;
  /** Fails the input with `error`, as a broken socket would. */
  readonly fail: (error: Error) => void;
  /** How many times the connection called `close()`. */
  readonly closeCalls: () => number;
}

const host: Address = { family: 'IPv4', address: '127.0.0.1', port: 2323 };
const peer: Address = { family: 'IPv4', address: '127.0.0.1', port: 40000 };

/**
 * A {@link ManualTransport}: no scheduler, no delay, each `receive` reaches the connection before it returns.
 *
 * @example
 * ```ts
 * import { Command, createConnection, TelnetOption } from 'rxtelnet';
 * import { manualTransport } from 'rxtelnet/testing';
 * const transport = manualTransport();
 * const connection = createConnection(transport);
 * transport.receive(Command.IAC, Command.DO, TelnetOption.NAWS);
 * transport.wire(); // [255, 252, 31]: WONT NAWS, the default policy refuses
 * ```
 */
export const manualTransport = (): ManualTransport => {
  const input = new Subject<Uint8Array>();
  const written: Uint8Array[] = [];
  let closes = 0;
  return {
    input,
    written,
    wire: () => written.flatMap((chunk) => [...chunk]),
    write: (bytes) => {
      written.push(bytes.slice());
      return true;
    },
    close: () => {
      closes++;
      input.complete();
    },
    host,
    peer,
    receive: (...bytes) => {
      input.next(Uint8Array.from(bytes));
    },
    receiveChunk: (chunk) => {
      input.next(chunk);
    },
    peerCloses: () => {
      input.complete();
    },
    fail: (error) => {
      input.error(error);
    },
    closeCalls: () => closes,
    clearWritten: () => {
      written.length = 0;
    },
  };
};
