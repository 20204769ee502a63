import { firstValueFrom, of, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { mudClientPolicy, mudServerPolicy, standardMudClient, type MudClientEvent } from '../../src/options/presets.js';
import { Command } from '../../src/protocol/commands.js';
import { Option } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { scriptedTransport } from '../helpers/scripted-transport.js';

const { IAC, WILL, WONT, DO, DONT, SB, SE } = Command;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];

describe('mudClientPolicy and mudServerPolicy', () => {
  it('accept the MUD options each side performs and refuse the rest', () => {
    const client = scriptedTransport();
    createConnection(client, { policy: mudClientPolicy });
    client.receive(IAC, WILL, Option.GMCP, IAC, DO, Option.NAWS, IAC, DO, Option.LINEMODE, IAC, WILL, Option.MCCP2, IAC, DO, Option.GMCP);
    expect(client.wire()).toEqual([IAC, DO, Option.GMCP, IAC, WILL, Option.NAWS, IAC, WONT, Option.LINEMODE, IAC, DO, Option.MCCP2, IAC, WONT, Option.GMCP]);
    const server = scriptedTransport();
    createConnection(server, { policy: mudServerPolicy });
    server.receive(IAC, WILL, Option.TTYPE, IAC, DO, Option.MSSP, IAC, WILL, Option.LINEMODE, IAC, DO, Option.ECHO);
    expect(server.wire()).toEqual([IAC, DO, Option.TTYPE, IAC, WILL, Option.MSSP, IAC, DONT, Option.LINEMODE, IAC, WONT, Option.ECHO]);
  });
});

describe('standardMudClient', () => {
  it('answers TTYPE, reports NAWS and answers CHARSET, reporting each', async () => {
    const transport = scriptedTransport();
    const connection = createConnection(transport, { policy: mudClientPolicy });
    const events = firstValueFrom(
      standardMudClient(connection, { terminalTypes: ['RX'], windowSizes: of({ width: 80, height: 24 }), charsets: ['UTF-8'] }).pipe(toArray()),
    );
    transport.receive(IAC, DO, Option.NAWS, IAC, DO, Option.TTYPE, IAC, SB, Option.TTYPE, 1, IAC, SE, IAC, WILL, Option.CHARSET);
    transport.receive(IAC, SB, Option.CHARSET, 1, ...text(';UTF-8'), IAC, SE);
    transport.peerCloses();
    expect(await events).toEqual<MudClientEvent[]>([
      { _tag: 'WindowSizeSent', size: { width: 80, height: 24 } },
      { _tag: 'TerminalTypeSent', name: 'RX' },
      { _tag: 'CharsetAccepted', charset: 'UTF-8' },
    ]);
    expect(transport.wire()).toEqual([
      IAC, WILL, Option.NAWS, IAC, SB, Option.NAWS, 0, 80, 0, 24, IAC, SE,
      IAC, WILL, Option.TTYPE, IAC, SB, Option.TTYPE, 0, ...text('RX'), IAC, SE,
      IAC, DO, Option.CHARSET, IAC, SB, Option.CHARSET, 2, ...text('UTF-8'), IAC, SE,
    ]);
  });
});
