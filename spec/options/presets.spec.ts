import { describe, expect, it } from 'vitest';
import { mudClientPolicy, mudServerPolicy } from '../../src/options/presets.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { portableCompression } from '../../src/transport/portable-compression.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, WONT, DO, DONT } = Command;

describe('mudClientPolicy and mudServerPolicy', () => {
  it('accept the MUD options each side performs and refuse the rest', () => {
    const client = manualTransport();
    // With an engine: without one, a connection refuses MCCP2 whatever its policy says.
    createConnection(client, { policy: mudClientPolicy, compression: portableCompression });
    client.receive(
      IAC,
      WILL,
      TelnetOption.GMCP,
      IAC,
      DO,
      TelnetOption.NAWS,
      IAC,
      DO,
      TelnetOption.LINEMODE,
      IAC,
      WILL,
      TelnetOption.MCCP2,
      IAC,
      DO,
      TelnetOption.GMCP,
    );
    expect(client.wire()).toEqual([
      IAC,
      DO,
      TelnetOption.GMCP,
      IAC,
      WILL,
      TelnetOption.NAWS,
      IAC,
      WONT,
      TelnetOption.LINEMODE,
      IAC,
      DO,
      TelnetOption.MCCP2,
      IAC,
      WONT,
      TelnetOption.GMCP,
    ]);
    const server = manualTransport();
    createConnection(server, { policy: mudServerPolicy });
    server.receive(
      IAC,
      WILL,
      TelnetOption.TTYPE,
      IAC,
      DO,
      TelnetOption.MSSP,
      IAC,
      WILL,
      TelnetOption.LINEMODE,
      IAC,
      DO,
      TelnetOption.ECHO,
    );
    expect(server.wire()).toEqual([
      IAC,
      DO,
      TelnetOption.TTYPE,
      IAC,
      WILL,
      TelnetOption.MSSP,
      IAC,
      DONT,
      TelnetOption.LINEMODE,
      IAC,
      WONT,
      TelnetOption.ECHO,
    ]);
  });
});
