import { deflateSync, inflateSync, constants } from 'node:zlib';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { TelnetEvent } from '../../src/codec/events.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import type { CompressionEvent, ConnectionOptions } from '../../src/session/connection.js';
import { createMemoryTransports } from '../../src/transport/memory.js';
import { nodeCompression } from '../../src/transport/node/zlib.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, WONT, DO, DONT, SB, SE, GA } = Command;
const { MCCP2, MCCP3 } = TelnetOption;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];
const startMarker = (option: number): number[] => [IAC, SB, option, IAC, SE];

/** Resolves after the zlib thread pool has had time to answer. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

const client = (options: ConnectionOptions = {}) => {
  const transport = manualTransport();
  const connection = createConnection(transport, {
    compression: nodeCompression,
    policy: policyOf({ remote: [MCCP2] }),
    ...options,
  });
  const events: TelnetEvent[] = [];
  const compression: CompressionEvent[] = [];
  connection.events$.subscribe((event) => events.push(event));
  connection.compression$.subscribe((event) => compression.push(event));
  transport.receive(IAC, WILL, MCCP2);
  expect(transport.wire()).toEqual([IAC, DO, MCCP2]);
  return { transport, connection, events, compression };
};

const dataText = (events: readonly TelnetEvent[]): string =>
  new TextDecoder().decode(Uint8Array.from(events.flatMap((event) => (event._tag === 'Data' ? [...event.bytes] : []))));

describe('createConnection: MCCP2 as the client', () => {
  it('inflates from the byte after IAC SB 86 IAC SE in the same chunk, and reads the bytes after the stream as plain Telnet', async () => {
    const { transport, connection, events, compression } = client();
    const compressed = [...deflateSync(Uint8Array.from([...text('hello\r\n'), IAC, GA]))];
    transport.receive(...text('before '), ...startMarker(MCCP2), ...compressed, ...text('after'), IAC, GA);
    expect(connection.isCompressing('input')).toBe(true);
    await settle();
    expect(connection.isCompressing('input')).toBe(false);
    expect(dataText(events)).toBe('before hello\nafter');
    expect(events.filter((event) => event._tag === 'Command')).toEqual([
      { _tag: 'Command', command: GA },
      { _tag: 'Command', command: GA },
    ]);
    expect(compression).toEqual([
      { _tag: 'CompressionStarted', direction: 'input', option: MCCP2 },
      { _tag: 'CompressionEnded', direction: 'input', option: MCCP2 },
    ]);
  });

  it('handles a start marker split across reads and a compressed stream fed byte by byte', async () => {
    const { transport, events } = client();
    transport.receive(IAC, SB);
    transport.receive(MCCP2, IAC);
    transport.receive(SE);
    const compressed = deflateSync(Uint8Array.from(text('split, yet whole')), { flush: constants.Z_SYNC_FLUSH });
    for (const byte of compressed) transport.receive(byte);
    await settle();
    expect(dataText(events)).toBe('split, yet whole');
  });

  it('delivers every inflated byte when the peer closes right after sending them', async () => {
    const { transport, connection, events, compression } = client();
    const compressed = [...deflateSync(Uint8Array.from(text('last words')), { flush: constants.Z_SYNC_FLUSH })];
    transport.receive(...startMarker(MCCP2), ...compressed);
    transport.peerCloses();
    expect(await firstValueFrom(connection.closed$)).toEqual({ _tag: 'ClosedByPeer' });
    expect(dataText(events)).toBe('last words');
    expect(compression.map((event) => event._tag)).toEqual(['CompressionStarted', 'CompressionEnded']);
  });

  it('does not inflate a start marker for an option the client did not agree to', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { compression: nodeCompression });
    const events = lastValueFrom(connection.events$.pipe(toArray()));
    transport.receive(...startMarker(MCCP2), ...text('plain'));
    transport.peerCloses();
    expect(dataText(await events)).toBe('plain');
  });

  it('on a corrupt stream: warns, refuses MCCP2, and closes with CompressionFailed (the default)', async () => {
    const { transport, connection, events } = client();
    transport.receive(...startMarker(MCCP2), 0x78, 0x9c, 0xff, 0xff, 0xff, 0xff, 0x00);
    await settle();
    expect(events.some((event) => event._tag === 'Warning' && event.code === 'Inflate')).toBe(true);
    expect(transport.wire().slice(-3)).toEqual([IAC, DONT, MCCP2]);
    const reason = await firstValueFrom(connection.closed$);
    expect(reason).toMatchObject({
      _tag: 'CompressionFailed',
      error: { _tag: 'DecompressionError', reason: 'Corrupt' },
    });
  });

  it("on a corrupt stream with onCompressionError 'continue': stays open and reads on as plain Telnet", async () => {
    const { transport, connection, events } = client({ onCompressionError: 'continue' });
    transport.receive(...startMarker(MCCP2), 0x78, 0x9c, 0xff, 0xff, 0xff, 0xff);
    await settle();
    transport.receive(IAC, WONT, MCCP2, ...text('still here'));
    expect(dataText(events)).toBe('still here');
    expect(connection.isEnabled('remote', MCCP2)).toBe(false);
    expect(connection.write('ok')).toBe(true);
  });

  it('stops a compression bomb with a DecompressionError instead of exhausting memory', async () => {
    const { transport, connection } = client({ maxInflatedPerChunk: 1024 * 1024 });
    const bomb = deflateSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    transport.receiveChunk(Uint8Array.from([...startMarker(MCCP2), ...bomb]));
    const reason = await firstValueFrom(connection.closed$);
    expect(reason).toMatchObject({ _tag: 'CompressionFailed', error: { reason: 'TooLarge' } });
  });
});

describe('createConnection: MCCP2 as the server', () => {
  it('announces with IAC SB 86 IAC SE, compresses what follows, and finishes the stream on DONT 86', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, {
      compression: nodeCompression,
      policy: policyOf({ local: [MCCP2] }),
    });
    transport.receive(IAC, DO, MCCP2);
    connection.write('compressed\n');
    await settle();
    const wire = Uint8Array.from(transport.wire());
    expect([...wire.subarray(0, 8)]).toEqual([IAC, WILL, MCCP2, ...startMarker(MCCP2)]);
    expect(new TextDecoder().decode(inflateSync(wire.subarray(8), { finishFlush: constants.Z_SYNC_FLUSH }))).toBe(
      'compressed\r\n',
    );
    transport.receive(IAC, DONT, MCCP2);
    connection.write('plain');
    await settle();
    const all = Uint8Array.from(transport.wire());
    expect(new TextDecoder().decode(all.subarray(all.length - 5))).toBe('plain');
    // The compressed part is a whole zlib stream: WONT 86 inside it, then its end, then plain bytes.
    const inflated = inflateSync(all.subarray(8, all.length - 5));
    expect([...inflated]).toEqual([...text('compressed\r\n'), IAC, WONT, MCCP2]);
  });
});

describe('createConnection: both sides compressing over one pipe (MCCP2 down, MCCP3 up)', () => {
  it('exchanges data and negotiations through both compressed streams, and loseConnection flushes them', async () => {
    const [a, b] = createMemoryTransports();
    const server = createConnection(b, { compression: nodeCompression, policy: policyOf({ local: [MCCP2, MCCP3] }) });
    const user = createConnection(a, { compression: nodeCompression, policy: policyOf({ remote: [MCCP2, MCCP3] }) });
    const atServer = lastValueFrom(server.data$.pipe(toArray()));
    const atUser = lastValueFrom(user.data$.pipe(toArray()));
    const serverCompression = lastValueFrom(server.compression$.pipe(toArray()));
    await firstValueFrom(server.will(MCCP2));
    await firstValueFrom(server.will(MCCP3));
    await settle();
    user.write('north\n');
    server.write('You go north.\n');
    await settle();
    server.write(Uint8Array.of(0xff, 0x00));
    await settle();
    server.loseConnection();
    const fromServer = (await atUser).flatMap((chunk) => [...chunk]);
    expect(fromServer).toEqual([...text('You go north.\n'), 0xff, 0x00]);
    expect(new TextDecoder().decode(Uint8Array.from((await atServer).flatMap((chunk) => [...chunk])))).toBe('north\n');
    expect(await serverCompression).toEqual([
      { _tag: 'CompressionStarted', direction: 'output', option: MCCP2 },
      { _tag: 'CompressionStarted', direction: 'input', option: MCCP3 },
      { _tag: 'CompressionEnded', direction: 'output', option: MCCP2 },
      { _tag: 'CompressionEnded', direction: 'input', option: MCCP3 },
    ]);
  });
});
