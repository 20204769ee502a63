import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL } = Command;
const { ECHO } = TelnetOption;

describe('after the connection closed', () => {
  it('reads every option as off, and option$ and options$ end on that state', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [ECHO] }) });
    const during = lastValueFrom(connection.option$(ECHO).pipe(toArray()));
    transport.receive(IAC, WILL, ECHO);
    expect(connection.isEnabled('remote', ECHO)).toBe(true);
    transport.peerCloses();
    await firstValueFrom(connection.closed$);
    expect(connection.isEnabled('remote', ECHO)).toBe(false);
    expect(await during).toEqual([
      { local: false, remote: false },
      { local: false, remote: true },
      { local: false, remote: false },
    ]);
    expect(await lastValueFrom(connection.option$(ECHO).pipe(toArray()))).toEqual([{ local: false, remote: false }]);
    expect(await lastValueFrom(connection.options$.pipe(toArray()))).toEqual([new Map()]);
  });

  it('says why it takes no more writes: closeReason is undefined while open, then what closed$ emits', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    expect(connection.closeReason()).toBeUndefined();
    expect(connection.write('hello')).toBe(true);
    connection.loseConnection();
    expect(connection.write('too late')).toBe(false);
    expect(connection.closeReason()).toEqual({ _tag: 'ClosedByUs' });
    transport.peerCloses();
    expect(await firstValueFrom(connection.closed$)).toEqual({ _tag: 'ClosedByUs' });
    expect(connection.closeReason()).toEqual({ _tag: 'ClosedByUs' });
  });

  it('reports the peer closing and a transport failure as closed$ does', async () => {
    const byPeer = manualTransport();
    const closedByPeer = createConnection(byPeer);
    byPeer.peerCloses();
    expect(closedByPeer.closeReason()).toEqual(await firstValueFrom(closedByPeer.closed$));
    expect(closedByPeer.closeReason()).toEqual({ _tag: 'ClosedByPeer' });

    const failing = manualTransport();
    const failed = createConnection(failing);
    const error = new Error('ECONNRESET');
    failing.fail(error);
    expect(await firstValueFrom(failed.closed$)).toEqual({ _tag: 'TransportFailed', error });
    expect(failed.closeReason()).toEqual({ _tag: 'TransportFailed', error });
  });
});
