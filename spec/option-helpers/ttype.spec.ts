import { firstValueFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError, NegotiationTimeoutError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { type TtypeReport } from '../../src/options/ttype.js';
import { answerTerminalType, requestTerminalTypes } from '../../src/option-helpers/ttype.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { createMemoryTransports } from '../../src/transport/memory.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, DO, DONT, SB, SE } = Command;
const { TTYPE } = TelnetOption;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];
const send = [IAC, SB, TTYPE, 1, IAC, SE];
const is = (name: string): number[] => [IAC, SB, TTYPE, 0, ...text(name), IAC, SE];

describe('answerTerminalType', () => {
  it('answers each SEND with the next name, repeats the last, and starts over when TTYPE is enabled anew', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [TTYPE] }) });
    const sent: string[] = [];
    answerTerminalType(connection, ['MUDLET', 'ANSI', 'MTTS 137']).subscribe((name) => sent.push(name));
    transport.receive(...send); // before DO TTYPE: not answered
    transport.receive(IAC, DO, TTYPE);
    transport.clearWritten();
    for (let i = 0; i < 4; i++) transport.receive(...send);
    expect(transport.wire()).toEqual([...is('MUDLET'), ...is('ANSI'), ...is('MTTS 137'), ...is('MTTS 137')]);
    transport.receive(IAC, DONT, TTYPE, IAC, DO, TTYPE, ...send);
    expect(sent).toEqual(['MUDLET', 'ANSI', 'MTTS 137', 'MTTS 137', 'MUDLET']);
  });

  it('ignores IS and malformed payloads, and stops answering on unsubscribe', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [TTYPE] }) });
    const subscription = answerTerminalType(connection, ['ANSI']).subscribe();
    transport.receive(IAC, DO, TTYPE, ...is('X'), IAC, SB, TTYPE, 1, 2, IAC, SE);
    expect(transport.wire()).toEqual([IAC, WILL, TTYPE]);
    subscription.unsubscribe();
    transport.receive(...send);
    expect(transport.wire()).toEqual([IAC, WILL, TTYPE]);
  });
});

describe('requestTerminalTypes', () => {
  it('waits for WILL TTYPE, sends SEND until a name repeats, and reports the MTTS flags', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [TTYPE] }) });
    const report = firstValueFrom(requestTerminalTypes(connection));
    expect(transport.wire()).toEqual([]);
    transport.receive(IAC, WILL, TTYPE);
    expect(transport.wire()).toEqual([IAC, DO, TTYPE, ...send]);
    transport.receive(...is('MUDLET'));
    transport.receive(...is('XTERM-256COLOR'));
    transport.receive(...is('MTTS 137'));
    transport.receive(...is('MTTS 137'));
    expect(transport.wire()).toEqual([IAC, DO, TTYPE, ...send, ...send, ...send, ...send]);
    const result: TtypeReport = await report;
    expect(result).toMatchObject({
      names: ['MUDLET', 'XTERM-256COLOR', 'MTTS 137'],
      clientName: 'MUDLET',
      terminalType: 'XTERM-256COLOR',
    });
    expect(result.mtts).toMatchObject({ ansi: true, utf8: false, colors256: true, proxy: true });
  });

  it('collects the MTTS answers of answerTerminalType across two connections', async () => {
    const [a, b] = createMemoryTransports();
    const client = createConnection(a, { policy: policyOf({ local: [TTYPE] }) });
    const server = createConnection(b);
    answerTerminalType(client, ['RXTELNET', 'VT100', 'MTTS 5']).subscribe();
    const report = firstValueFrom(requestTerminalTypes(server));
    await firstValueFrom(server.do(TTYPE));
    expect((await report).names).toEqual(['RXTELNET', 'VT100', 'MTTS 5']);
  });

  it('stops at maxAnswers', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [TTYPE] }) });
    const report = firstValueFrom(requestTerminalTypes(connection, { maxAnswers: 2 }));
    transport.receive(IAC, WILL, TTYPE, ...is('A'), ...is('B'));
    expect((await report).names).toEqual(['A', 'B']);
  });

  it('errors with NegotiationTimeoutError in virtual time when the client never agrees', () => {
    new TestScheduler((actual, expected) => {
      expect(actual).toEqual(expected);
    }).run(({ expectObservable }) => {
      const connection = createConnection(manualTransport());
      expectObservable(requestTerminalTypes(connection, { timeout: 3000 })).toBe(
        '3000ms #',
        undefined,
        new NegotiationTimeoutError(TTYPE, 'remote', 3000),
      );
    });
  });

  it('errors with ConnectionClosedError when the connection closes first', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const report = firstValueFrom(requestTerminalTypes(connection));
    transport.peerCloses();
    await expect(report).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});
