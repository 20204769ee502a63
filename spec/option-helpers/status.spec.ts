import * as E from 'fp-ts/lib/Either.js';
import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { answerStatus, requestStatus } from '../../src/option-helpers/status.js';
import type { StatusReport } from '../../src/options/status.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { createMemoryTransports } from '../../src/transport/memory.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, DO, SB, SE } = Command;
const { STATUS, ECHO, NAWS } = TelnetOption;

describe('answerStatus', () => {
  it('answers SEND with IS listing the options in effect, only while STATUS is on our side', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [STATUS, ECHO], remote: [NAWS] }) });
    const reports: StatusReport[] = [];
    answerStatus(connection).subscribe((report) => reports.push(report));
    transport.receive(IAC, SB, STATUS, 1, IAC, SE); // not agreed yet: ignored
    transport.receive(IAC, DO, STATUS, IAC, DO, ECHO, IAC, WILL, NAWS);
    transport.clearWritten();
    transport.receive(IAC, SB, STATUS, 1, IAC, SE);
    expect(transport.wire()).toEqual([IAC, SB, STATUS, 0, WILL, ECHO, WILL, STATUS, DO, NAWS, IAC, SE]);
    expect(reports).toEqual([{ local: [ECHO, STATUS], remote: [NAWS], subnegotiations: [] }]);
  });
});

describe('requestStatus', () => {
  it('asks once STATUS is on the peer side and emits its report, across two connections', async () => {
    const [a, b] = createMemoryTransports();
    const server = createConnection(b, { policy: policyOf({ local: [STATUS, ECHO] }) });
    const client = createConnection(a, { policy: policyOf({ remote: [STATUS, ECHO] }) });
    answerStatus(server).subscribe();
    const report = firstValueFrom(requestStatus(client));
    await firstValueFrom(server.will(ECHO));
    await firstValueFrom(server.will(STATUS));
    expect(await report).toEqual(E.right({ local: [ECHO, STATUS], remote: [], subnegotiations: [] }));
    client.loseConnection();
  });

  it('errors with ConnectionClosedError when the connection closes before the report', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [STATUS] }) });
    const report = firstValueFrom(requestStatus(connection));
    transport.receive(IAC, WILL, STATUS);
    expect(transport.wire().slice(-6)).toEqual([IAC, SB, STATUS, 1, IAC, SE]);
    transport.peerCloses();
    await expect(report).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});
