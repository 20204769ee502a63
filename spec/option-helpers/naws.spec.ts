import * as E from 'fp-ts/lib/Either.js';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { type WindowSize } from '../../src/options/naws.js';
import { sendWindowSize, windowSizes } from '../../src/option-helpers/naws.js';
import type { PayloadError } from '../../src/options/payload-error.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, WONT, DO, DONT, SB, SE } = Command;
const { NAWS } = TelnetOption;

describe('sendWindowSize', () => {
  it('waits for DO NAWS, then sends the latest size and each change, doubling 255', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [NAWS] }) });
    const sizes = new Subject<WindowSize>();
    const sent: WindowSize[] = [];
    sendWindowSize(connection, sizes).subscribe((size) => sent.push(size));
    sizes.next({ width: 80, height: 24 });
    sizes.next({ width: 100, height: 30 });
    expect(transport.wire()).toEqual([]);
    transport.receive(IAC, DO, NAWS);
    expect(transport.wire()).toEqual([IAC, WILL, NAWS, IAC, SB, NAWS, 0, 100, 0, 30, IAC, SE]);
    transport.clearWritten();
    sizes.next({ width: 100, height: 30 });
    sizes.next({ width: 300, height: 255 });
    expect(transport.wire()).toEqual([IAC, SB, NAWS, 1, 44, 0, IAC, IAC, IAC, SE]);
    expect(sent).toEqual([
      { width: 100, height: 30 },
      { width: 300, height: 255 },
    ]);
  });

  it('stops on DONT NAWS and sends the latest size again when NAWS is enabled anew', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [NAWS] }) });
    const sizes = new Subject<WindowSize>();
    sendWindowSize(connection, sizes).subscribe();
    transport.receive(IAC, DO, NAWS);
    sizes.next({ width: 80, height: 24 });
    transport.receive(IAC, DONT, NAWS);
    transport.clearWritten();
    sizes.next({ width: 132, height: 43 });
    expect(transport.wire()).toEqual([]);
    transport.receive(IAC, DO, NAWS);
    expect(transport.wire()).toEqual([IAC, WILL, NAWS, IAC, SB, NAWS, 0, 132, 0, 43, IAC, SE]);
  });

  it('sends nothing after unsubscribe and completes when the connection closes', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [NAWS] }) });
    const sizes = new Subject<WindowSize>();
    let completed = false;
    const subscription = sendWindowSize(connection, sizes).subscribe({ complete: () => (completed = true) });
    transport.receive(IAC, DO, NAWS);
    subscription.unsubscribe();
    sizes.next({ width: 80, height: 24 });
    expect(transport.wire()).toEqual([IAC, WILL, NAWS]);
    expect(sizes.observed).toBe(false);
    sendWindowSize(connection, sizes).subscribe({ complete: () => (completed = true) });
    transport.peerCloses();
    expect(completed).toBe(true);
  });

  it('forwards an error of the sizes', () => {
    const connection = createConnection(manualTransport());
    const sizes = new Subject<WindowSize>();
    let error: unknown;
    sendWindowSize(connection, sizes).subscribe({ error: (e: unknown) => (error = e) });
    sizes.error(new Error('no tty'));
    expect(error).toEqual(new Error('no tty'));
  });
});

describe('windowSizes', () => {
  it('decodes the sizes the peer sends while NAWS is on its side, a bad one as a Left', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [NAWS] }) });
    const seen: E.Either<PayloadError, WindowSize>[] = [];
    let completed = false;
    windowSizes(connection).subscribe({ next: (size) => seen.push(size), complete: () => (completed = true) });
    transport.receive(IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE); // before WILL NAWS: ignored
    transport.receive(IAC, WILL, NAWS, IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE);
    transport.receive(IAC, SB, NAWS, 0, 80, 0, IAC, SE, IAC, SB, NAWS, IAC, IAC, 0, 0, 25, IAC, SE);
    transport.receive(IAC, WONT, NAWS, IAC, SB, NAWS, 0, 1, 0, 1, IAC, SE);
    expect(seen).toEqual([
      E.right({ width: 80, height: 24 }),
      E.left(expect.objectContaining({ _tag: 'PayloadError', option: NAWS, path: 'length' })),
      E.right({ width: 0xff00, height: 25 }),
    ]);
    transport.peerCloses();
    expect(completed).toBe(true);
  });
});
