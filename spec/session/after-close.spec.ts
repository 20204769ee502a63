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
});
