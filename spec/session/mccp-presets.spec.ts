/** MCCP2 and MCCP3 are built into the connection: these tests drive them as a MUD server and client would. */
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { TelnetEvent } from '../../src/codec/events.js';
import { mudClientPolicy, mudServerPolicy } from '../../src/options/presets.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection, type CompressionEvent } from '../../src/session/connection.js';
import type { Transport } from '../../src/transport/types.js';
import { createMemoryTransports } from '../../src/transport/memory.js';
import { nodeCompression } from '../../src/transport/node/zlib.js';

const { IAC, SB, SE, WILL } = Command;
const { MCCP2 } = TelnetOption;

/** Resolves after the zlib thread pool has had time to answer. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

/** A transport that records what goes through it. */
const tapped = (transport: Transport, sent: number[]): Transport => ({
  ...transport,
  write: (bytes) => {
    sent.push(...bytes);
    return transport.write(bytes);
  },
});

const dataText = (events: readonly TelnetEvent[]): string =>
  new TextDecoder().decode(Uint8Array.from(events.flatMap((event) => (event._tag === 'Data' ? [...event.bytes] : []))));

describe('MCCP2 between a server and a client', () => {
  it('compresses after will(MCCP2), inflates on the client, and reads plain text after the end of the stream', async () => {
    const [clientSide, serverSide] = createMemoryTransports();
    const wire: number[] = [];
    const server = createConnection(tapped(serverSide, wire), {
      compression: nodeCompression,
      policy: mudServerPolicy,
    });
    const client = createConnection(clientSide, { compression: nodeCompression, policy: mudClientPolicy });
    const events = lastValueFrom(client.events$.pipe(toArray()));
    const compression = lastValueFrom(client.compression$.pipe(toArray()));
    server.write('plain before\n');
    await firstValueFrom(server.will(MCCP2));
    const text = `${'The Temple Square. '.repeat(50)}\n`;
    server.write(text);
    await settle();
    await firstValueFrom(server.wont(MCCP2));
    await settle();
    server.write('plain after\n');
    await settle();
    server.loseConnection();
    expect(dataText(await events)).toBe(`plain before\n${text}plain after\n`);
    expect(await compression).toEqual<CompressionEvent[]>([
      { _tag: 'CompressionStarted', direction: 'input', option: MCCP2 },
      { _tag: 'CompressionEnded', direction: 'input', option: MCCP2 },
    ]);
    // On the wire: WILL MCCP2, then the start marker, then far fewer bytes than the text, then plain text.
    const marker = [IAC, WILL, MCCP2, IAC, SB, MCCP2, IAC, SE];
    const start = wire.findIndex((_, i) => marker.every((byte, j) => wire[i + j] === byte));
    expect(start).toBeGreaterThan(0);
    const after = new TextEncoder().encode('plain after\r\n');
    expect(wire.slice(-after.length)).toEqual([...after]);
    expect(wire.length - start - marker.length - after.length).toBeLessThan(text.length / 4);
  });
});
