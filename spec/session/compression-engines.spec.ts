/**
 * A connection agrees to MCCP2 or MCCP3 only with engines to run them, and the portable engine carries a whole
 * MCCP2 + MCCP3 session between two connections, as node:zlib does.
 */
import { firstValueFrom, filter } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { TelnetEvent, WarningEvent } from '../../src/codec/events.js';
import { OptionRefusedError } from '../../src/negotiation/errors.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { mudClientPolicy, mudServerPolicy } from '../../src/options/presets.js';
import { createConnection } from '../../src/session/connection.js';
import type { TelnetConnection } from '../../src/session/connection.js';
import { createMemoryTransports } from '../../src/transport/memory.js';
import { nodeCompression } from '../../src/transport/node/zlib.js';
import { portableCompression } from '../../src/transport/portable-compression.js';
import type { Compression } from '../../src/transport/compression.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, DO, DONT, WONT } = Command;
const { MCCP2, MCCP3 } = TelnetOption;

const warningsOf = (connection: TelnetConnection): WarningEvent[] => {
  const seen: WarningEvent[] = [];
  connection.warnings$.subscribe((warning) => seen.push(warning));
  return seen;
};

const dataText = (events: readonly TelnetEvent[]): string =>
  new TextDecoder().decode(Uint8Array.from(events.flatMap((event) => (event._tag === 'Data' ? [...event.bytes] : []))));

describe('a connection without a compression engine', () => {
  it('refuses MCCP2 and MCCP3 that its policy accepts, warning once per option', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: mudClientPolicy });
    const warnings = warningsOf(connection);
    transport.receive(IAC, WILL, MCCP2, IAC, WILL, MCCP3, IAC, WILL, MCCP2);
    expect(transport.wire()).toEqual([IAC, DONT, MCCP2, IAC, DONT, MCCP3, IAC, DONT, MCCP2]);
    expect(connection.isEnabled('remote', MCCP2)).toBe(false);
    expect(warnings.map((warning) => warning.code)).toEqual(['CompressionUnavailable', 'CompressionUnavailable']);
    expect(warnings[0]?.detail).toContain('MCCP2');
  });

  it('as a server, refuses DO MCCP2 and DO MCCP3, and so after setPolicy', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    connection.setPolicy(mudServerPolicy);
    transport.receive(IAC, DO, MCCP2, IAC, DO, MCCP3);
    expect(transport.wire()).toEqual([IAC, WONT, MCCP2, IAC, WONT, MCCP3]);
  });

  it('refuses our own requests for them without sending anything', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const warnings = warningsOf(connection);
    await expect(firstValueFrom(connection.do(MCCP2))).rejects.toBeInstanceOf(OptionRefusedError);
    await expect(firstValueFrom(connection.will(MCCP3))).rejects.toBeInstanceOf(OptionRefusedError);
    expect(transport.wire()).toEqual([]);
    expect(warnings).toHaveLength(2);
  });

  it('over the in-memory transport with the MUD policies: plain text, never zlib bytes', async () => {
    const [clientSide, serverSide] = createMemoryTransports();
    const server = createConnection(serverSide, { policy: mudServerPolicy, compression: nodeCompression });
    const client = createConnection(clientSide, { policy: mudClientPolicy });
    const events: TelnetEvent[] = [];
    client.events$.subscribe((event) => events.push(event));
    const warnings = warningsOf(client);
    await expect(firstValueFrom(server.will(MCCP2))).rejects.toBeInstanceOf(OptionRefusedError);
    server.write('You see a room.\n');
    await firstValueFrom(client.data$);
    expect(dataText(events)).toBe('You see a room.\n');
    expect(warnings.map((warning) => warning.code)).toEqual(['CompressionUnavailable']);
  });

  it('takes the engines the transport carries when the options give none', () => {
    const transport = { ...manualTransport(), compression: portableCompression };
    const connection = createConnection(transport, { policy: mudClientPolicy });
    transport.receive(IAC, WILL, MCCP2);
    expect(transport.wire()).toEqual([IAC, DO, MCCP2]);
    expect(connection.isEnabled('remote', MCCP2)).toBe(true);
  });
});

describe.each([
  ['portable client, node:zlib server', portableCompression, nodeCompression],
  ['node:zlib client, portable server', nodeCompression, portableCompression],
  ['portable both ways', portableCompression, portableCompression],
] as const)(
  'MCCP2 and MCCP3 between two connections: %s',
  (_name, clientEngine: Compression, serverEngine: Compression) => {
    it('compresses both directions, and both ends read what the other wrote', async () => {
      const [clientSide, serverSide] = createMemoryTransports();
      const server = createConnection(serverSide, { policy: mudServerPolicy, compression: serverEngine });
      const client = createConnection(clientSide, { policy: mudClientPolicy, compression: clientEngine });
      const clientEvents: TelnetEvent[] = [];
      const serverEvents: TelnetEvent[] = [];
      client.events$.subscribe((event) => clientEvents.push(event));
      server.events$.subscribe((event) => serverEvents.push(event));
      await firstValueFrom(server.will(MCCP2));
      await firstValueFrom(server.will(MCCP3));
      const room = 'You are in a long corridor. Exits: north, south.\r\n'.repeat(20);
      // Subscribed before writing: the portable engine is synchronous, so the bytes may arrive at once.
      const roomRead = firstValueFrom(
        client.data$.pipe(filter(() => dataText(clientEvents).length >= room.length - 20)),
      );
      const lookRead = firstValueFrom(server.data$);
      server.write(room);
      client.write('look\n');
      await roomRead;
      await lookRead;
      expect(server.isCompressing('output')).toBe(true);
      expect(client.isCompressing('output')).toBe(true);
      expect(dataText(clientEvents)).toBe(room.replaceAll('\r\n', '\n'));
      expect(dataText(serverEvents)).toBe('look\n');
      const closed = firstValueFrom(client.closed$);
      server.loseConnection();
      expect(await closed).toEqual({ _tag: 'ClosedByPeer' });
    });
  },
);
