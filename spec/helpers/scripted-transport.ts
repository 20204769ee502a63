import { Subject } from 'rxjs';
import type { Address, Transport } from '../../src/transport/types.js';

/** A transport driven by the test: `receive` plays the peer, `written` records what the connection sent. */
export interface ScriptedTransport extends Transport {
  readonly written: Uint8Array[];
  /** Everything written so far, as one array of byte values. */
  readonly wire: () => number[];
  readonly receive: (...bytes: number[]) => void;
  readonly receiveChunk: (chunk: Uint8Array) => void;
  readonly peerCloses: () => void;
  readonly fail: (error: Error) => void;
  readonly closeCalls: () => number;
}

const address: Address = { family: 'IPv4', address: '127.0.0.1', port: 2323 };
const peerAddress: Address = { family: 'IPv4', address: '127.0.0.1', port: 40000 };

export const scriptedTransport = (): ScriptedTransport => {
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
    host: address,
    peer: peerAddress,
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
  };
};
