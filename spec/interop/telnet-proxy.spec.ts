/**
 * libtelnet's telnet-proxy referees an exchange between an rxtelnet client and an rxtelnet server: its log shows
 * how libtelnet parsed each side's bytes (negotiations, subnegotiation payloads, data, commands), and every byte
 * each side receives went through libtelnet's encoder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectUnix, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { encodeNaws } from '../../src/options/naws.js';
import { encodeTtypeIs, encodeTtypeSend } from '../../src/options/ttype.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection, type ConnectionOptions, type TelnetConnection } from '../../src/session/connection.js';
import { socketTransport } from '../../src/transport/node/socket-transport.js';
import { stopAllPeers } from './harness.js';
import { ConnectionLog, first, settle } from './rxtelnet-ends.js';
import { proxyData, proxyLog, startProxyReferee } from './telnet-proxy-referee.js';

const connections: TelnetConnection[] = [];
const servers: Server[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const connection of connections) connection.loseConnection();
  await Promise.all(connections.splice(0).map((c) => first(c.closed$, 3_000).catch(() => undefined)));
  for (const server of servers.splice(0)) server.close();
  await stopAllPeers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An rxtelnet server on a Unix socket: resolves with its first connection. */
const serveUnix = async (path: string, options: ConnectionOptions): Promise<() => Promise<ConnectionLog>> => {
  const server = createServer();
  servers.push(server);
  const accepted = new Promise<ConnectionLog>((resolve) => {
    server.once('connection', (socket) => {
      const connection = createConnection(socketTransport(socket, { closeTimeout: 1_000 }), options);
      connections.push(connection);
      resolve(new ConnectionLog(connection));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  return () => accepted;
};

/** An rxtelnet client on a Unix socket. */
const connectUnixTelnet = (path: string, options: ConnectionOptions): Promise<ConnectionLog> =>
  new Promise((resolve, reject) => {
    const socket = connectUnix(path);
    socket.once('error', reject);
    socket.once('connect', () => {
      const connection = createConnection(socketTransport(socket, { closeTimeout: 1_000 }), options);
      connections.push(connection);
      resolve(new ConnectionLog(connection));
    });
  });

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('telnet-proxy (libtelnet) between an rxtelnet client and an rxtelnet server', () => {
  it('parses what each side sends without an error or a warning, and both sides get it back intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxtelnet-proxy-'));
    dirs.push(dir);
    const referee = await startProxyReferee(dir);
    const accepted = await serveUnix(referee.serverPath, {
      policy: policyOf({
        local: [TelnetOption.ECHO, TelnetOption.SGA],
        remote: [TelnetOption.NAWS, TelnetOption.TTYPE],
      }),
    });
    const client = await connectUnixTelnet(referee.clientPath, {
      policy: policyOf({
        local: [TelnetOption.NAWS, TelnetOption.TTYPE],
        remote: [TelnetOption.ECHO, TelnetOption.SGA],
      }),
    });
    const server = await accepted();

    // The server's opening, all accepted by the client's policy.
    const opening = await Promise.all([
      settle(server.connection.do(TelnetOption.NAWS)),
      settle(server.connection.do(TelnetOption.TTYPE)),
      settle(server.connection.will(TelnetOption.SGA)),
      settle(server.connection.will(TelnetOption.ECHO)),
    ]);
    expect(opening.map((o) => o.ok)).toEqual([true, true, true, true]);
    // A request the server's policy refuses.
    await expect(settle(client.connection.do(TelnetOption.BINARY))).resolves.toMatchObject({
      ok: false,
      error: { _tag: 'OptionRefusedError', option: TelnetOption.BINARY },
    });

    // NAWS 255 x 24: the width's 255 must be doubled on the wire.
    client.connection.requestNegotiation(TelnetOption.NAWS, encodeNaws({ width: 255, height: 24 }));
    server.connection.requestNegotiation(TelnetOption.TTYPE, encodeTtypeSend());
    await first(client.connection.subnegotiations$(TelnetOption.TTYPE));
    client.connection.requestNegotiation(TelnetOption.TTYPE, encodeTtypeIs('XTERM-256COLOR'));

    server.connection.write(latin1('Welcome \xff\xfe!\n'));
    server.connection.write('prompt> ');
    server.connection.sendCommand(Command.GA);
    client.connection.write(latin1('say \xff\n'));

    const welcome = latin1('Welcome \xff\xfe!\nprompt> ');
    await client.waitForData(welcome.length);
    await server.waitForData(6);
    await server.waitFor((log) =>
      log.events.some((e) => e._tag === 'Subnegotiation' && e.option === TelnetOption.TTYPE),
    );
    client.connection.loseConnection();
    await referee.process.waitForLine((line) => line.includes('BOTH CONNECTIONS CLOSED'));

    const log = proxyLog(referee.process.lines);
    expect(log.filter((line) => /WARNING|ERROR/.test(line))).toEqual([]);
    expect(referee.process.stderr).toEqual([]);
    // Negotiations, as libtelnet read them from each side.
    expect(log).toEqual(
      expect.arrayContaining([
        'SERVER IAC DO 31 (NAWS)',
        'SERVER IAC DO 24 (TTYPE)',
        'SERVER IAC WILL 3 (SGA)',
        'SERVER IAC WILL 1 (ECHO)',
        'CLIENT IAC WILL 31 (NAWS)',
        'CLIENT IAC WILL 24 (TTYPE)',
        'CLIENT IAC DO 3 (SGA)',
        'CLIENT IAC DO 1 (ECHO)',
        'CLIENT IAC DO 0 (BINARY)',
        'SERVER IAC WONT 0 (BINARY)',
        'SERVER IAC GA',
      ]),
    );
    // Subnegotiations: four NAWS bytes with a single (unescaped) 255, and TTYPE decoded by libtelnet. The proxy
    // prints 0xFF as <0xFFFFFFFF> (signed char).
    expect(log).toContain('CLIENT SUB 31 (NAWS) [4 bytes]: <0x00><0xFFFFFFFF><0x00><0x18>');
    expect(log).toContain('SERVER SUB 24 (TTYPE) [1 bytes]: <0x01>');
    expect(log).toContain('SERVER TTYPE SEND ');
    expect(log).toContain('CLIENT SUB 24 (TTYPE) [15 bytes]: <0x00>XTERM-256COLOR');
    expect(log).toContain('CLIENT TTYPE IS XTERM-256COLOR');
    // Data, IAC IAC read as one 0xFF, newlines as NVT CR LF.
    expect(proxyData(log, 'SERVER')).toEqual(latin1('Welcome \xff\xfe!\r\nprompt> '));
    expect(proxyData(log, 'CLIENT')).toEqual(latin1('say \xff\r\n'));
    // What libtelnet re-encoded reached each side intact.
    expect(client.data()).toEqual(welcome);
    expect(client.events.some((e) => e._tag === 'Command' && e.command === Command.GA)).toBe(true);
    expect(server.data()).toEqual(latin1('say \xff\n'));
    const naws = server.events.find((e) => e._tag === 'Subnegotiation' && e.option === TelnetOption.NAWS);
    expect(naws?._tag === 'Subnegotiation' && Buffer.from(naws.payload).toString('hex')).toBe('00ff0018');
    // Agreed on both ends (the DO ECHO and WILL NAWS answers are in the log above). The connections may have
    // closed by now, and a closed connection reads every option as off, so the offers are checked as events.
    expect(client.events).toContainEqual({ _tag: 'Negotiation', verb: 'WILL', option: TelnetOption.ECHO });
    expect(server.events).toContainEqual({ _tag: 'Negotiation', verb: 'WILL', option: TelnetOption.NAWS });
  });
});
