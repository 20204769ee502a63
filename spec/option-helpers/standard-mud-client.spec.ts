import { firstValueFrom, of, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { mudClientPolicy } from '../../src/options/presets.js';
import { standardMudClient, type MudClientEvent } from '../../src/option-helpers/standard-mud-client.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, DO, SB, SE } = Command;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];

describe('standardMudClient', () => {
  it('answers TTYPE, reports NAWS and answers CHARSET, reporting each', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: mudClientPolicy });
    const events = firstValueFrom(
      standardMudClient(connection, {
        terminalTypes: ['RX'],
        windowSizes: of({ width: 80, height: 24 }),
        charsets: ['UTF-8'],
      }).pipe(toArray()),
    );
    transport.receive(
      IAC,
      DO,
      TelnetOption.NAWS,
      IAC,
      DO,
      TelnetOption.TTYPE,
      IAC,
      SB,
      TelnetOption.TTYPE,
      1,
      IAC,
      SE,
      IAC,
      WILL,
      TelnetOption.CHARSET,
    );
    transport.receive(IAC, SB, TelnetOption.CHARSET, 1, ...text(';UTF-8'), IAC, SE);
    transport.peerCloses();
    expect(await events).toEqual<MudClientEvent[]>([
      { _tag: 'WindowSizeSent', size: { width: 80, height: 24 } },
      { _tag: 'TerminalTypeSent', name: 'RX' },
      { _tag: 'CharsetAccepted', charset: 'UTF-8' },
    ]);
    expect(transport.wire()).toEqual([
      IAC,
      WILL,
      TelnetOption.NAWS,
      IAC,
      SB,
      TelnetOption.NAWS,
      0,
      80,
      0,
      24,
      IAC,
      SE,
      IAC,
      WILL,
      TelnetOption.TTYPE,
      IAC,
      SB,
      TelnetOption.TTYPE,
      0,
      ...text('RX'),
      IAC,
      SE,
      IAC,
      DO,
      TelnetOption.CHARSET,
      IAC,
      SB,
      TelnetOption.CHARSET,
      2,
      ...text('UTF-8'),
      IAC,
      SE,
    ]);
  });
});
