import * as E from 'fp-ts/lib/Either.js';
import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { type MsspTable } from '../../src/options/mssp.js';
import { msspTables, serveMssp } from '../../src/option-helpers/mssp.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { createMemoryTransports } from '../../src/transport/memory.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, DO, DONT, SB, SE } = Command;
const { MSSP } = TelnetOption;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];

describe('serveMssp', () => {
  it('sends the current table each time MSSP is enabled on our side', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [MSSP] }) });
    let players = 3;
    const sent: MsspTable[] = [];
    serveMssp(connection, () => ({ NAME: 'Ex', PLAYERS: String(players) })).subscribe((table) => sent.push(table));
    expect(transport.wire()).toEqual([]);
    transport.receive(IAC, DO, MSSP);
    expect(transport.wire()).toEqual([
      IAC,
      WILL,
      MSSP,
      IAC,
      SB,
      MSSP,
      1,
      ...text('NAME'),
      2,
      ...text('Ex'),
      1,
      ...text('PLAYERS'),
      2,
      ...text('3'),
      IAC,
      SE,
    ]);
    players = 4;
    transport.receive(IAC, DONT, MSSP, IAC, DO, MSSP);
    expect(sent).toEqual([
      { NAME: 'Ex', PLAYERS: '3' },
      { NAME: 'Ex', PLAYERS: '4' },
    ]);
  });
});

describe('msspTables', () => {
  it('reads what serveMssp sends, across two connections', async () => {
    const [a, b] = createMemoryTransports();
    const server = createConnection(b);
    const crawler = createConnection(a, { policy: policyOf({ remote: [MSSP] }) });
    serveMssp(server, () => ({ NAME: 'Example MUD', PORT: ['23', '4000'] })).subscribe();
    const table = firstValueFrom(msspTables(crawler));
    await firstValueFrom(server.will(MSSP));
    expect(await table).toEqual(E.right({ NAME: 'Example MUD', PORT: ['23', '4000'] }));
  });
});
