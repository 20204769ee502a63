import { map, type Observable, scan } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { answerEachSend, listenThenRequest, payloadsOf } from '../../src/option-helpers/option-streams.js';
import { decodeXdisploc } from '../../src/options/xdisploc.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection, type TelnetConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, DO, DONT, SB, SE, WILL } = Command;
const { XDISPLOC } = TelnetOption;
const send = [IAC, SB, XDISPLOC, 1, IAC, SE];
const answer = (n: number): number[] => [IAC, SB, XDISPLOC, 0, n, IAC, SE];

/** Answers the n-th SEND of one enabling with the byte n (the IS payload `0 n`). */
const counting = (connection: TelnetConnection): Observable<number> =>
  answerEachSend(connection, XDISPLOC, decodeXdisploc, (sends) =>
    sends.pipe(
      scan((count) => count + 1, 0),
      map((count) => ({ payload: Uint8Array.of(0, count), value: count })),
    ),
  );

describe('answerEachSend', () => {
  it('answers only SEND, only while the option is on our side, and sends before it emits', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [XDISPLOC] }) });
    const seen: [number, number][] = [];
    counting(connection).subscribe((value) => seen.push([value, transport.written.length]));
    transport.receive(...send); // not enabled yet
    transport.receive(IAC, DO, XDISPLOC);
    transport.clearWritten();
    transport.receive(...send, IAC, SB, XDISPLOC, 0, ...new TextEncoder().encode('a:0'), IAC, SE); // IS: ignored
    transport.receive(IAC, SB, XDISPLOC, 1, 9, IAC, SE, IAC, SB, XDISPLOC, 7, IAC, SE); // malformed: ignored
    transport.receive(...send);
    expect(transport.wire()).toEqual([...answer(1), ...answer(2)]);
    expect(seen).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('keeps the state of its answers per subscription and starts it over when the option is enabled anew', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [XDISPLOC] }) });
    const first: number[] = [];
    const second: number[] = [];
    counting(connection).subscribe((value) => first.push(value));
    transport.receive(IAC, DO, XDISPLOC, ...send, ...send);
    counting(connection).subscribe((value) => second.push(value));
    transport.receive(...send);
    expect([first, second]).toEqual([[1, 2, 3], [1]]);
    transport.receive(IAC, DONT, XDISPLOC);
    transport.receive(...send); // off: not answered
    transport.receive(IAC, DO, XDISPLOC, ...send);
    expect([first, second]).toEqual([
      [1, 2, 3, 1],
      [1, 1],
    ]);
    expect(transport.wire().slice(-17)).toEqual([IAC, WILL, XDISPLOC, ...answer(1), ...answer(1)]);
  });

  it('completes when the connection closes', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [XDISPLOC] }) });
    let completed = false;
    counting(connection).subscribe({ complete: () => (completed = true) });
    transport.receive(IAC, DO, XDISPLOC);
    expect(completed).toBe(false);
    transport.peerCloses();
    expect(completed).toBe(true);
  });
});

describe('listenThenRequest', () => {
  it('listens before it sends, so a reply given at once is not missed', () => {
    const transport = manualTransport();
    const replying = {
      ...transport,
      write: (bytes: Uint8Array): boolean => {
        const written = transport.write(bytes);
        transport.receive(IAC, SB, XDISPLOC, 0, 0x41, IAC, SE); // the peer answers within the write
        return written;
      },
    };
    const connection = createConnection(replying);
    const replies: number[][] = [];
    listenThenRequest(
      connection,
      XDISPLOC,
      Uint8Array.of(1),
      connection.subnegotiations$(XDISPLOC).pipe(map((event) => [...event.payload])),
    ).subscribe((reply) => replies.push(reply));
    expect(transport.wire()).toEqual(send);
    expect(replies).toEqual([[0, 0x41]]);
  });
});

describe('payloadsOf', () => {
  it('decodes each payload while the option is on, and errors with what the decoder throws', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [XDISPLOC] }) });
    const seen: unknown[] = [];
    const decode = (payload: Uint8Array): number => {
      if (payload[0] === 0) throw new Error('bad payload');
      return payload.length;
    };
    payloadsOf(connection, XDISPLOC, 'remote', decode).subscribe({
      next: (value) => seen.push(value),
      error: (error: unknown) => seen.push(error instanceof Error ? error.message : error),
    });
    transport.receive(IAC, SB, XDISPLOC, 5, IAC, SE); // not on yet: ignored
    transport.receive(IAC, WILL, XDISPLOC);
    transport.receive(
      IAC,
      SB,
      XDISPLOC,
      1,
      2,
      3,
      IAC,
      SE,
      IAC,
      SB,
      XDISPLOC,
      0,
      IAC,
      SE,
      IAC,
      SB,
      XDISPLOC,
      4,
      IAC,
      SE,
    );
    expect(seen).toEqual([3, 'bad payload']);
    expect(connection.closeReason()).toBeUndefined();
  });
});
