import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createExpect } from '../../src/expect/expect.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const text = (value: string): number[] => [...new TextEncoder().encode(value)];
const decoded = (chunks: readonly Uint8Array[]): string =>
  chunks.map((bytes) => new TextDecoder().decode(bytes)).join('');
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('what arrives before the first reader', () => {
  it('is handed to the first data$ subscriber, even one made after an await', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    transport.receive(...text('Welcome!\r\nlogin: '));
    await tick();
    const seen: Uint8Array[] = [];
    connection.data$.subscribe((bytes) => seen.push(bytes));
    transport.receive(...text('more'));
    expect(decoded(seen)).toBe('Welcome!\nlogin: more');
  });

  it('goes to the first reader of data$ or events$ only; later subscribers see what arrives from then on', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    transport.receive(...text('banner'), 255, 249);
    await tick();
    const first: string[] = [];
    const second: Uint8Array[] = [];
    connection.events$.subscribe((event) => first.push(event._tag));
    connection.data$.subscribe((bytes) => second.push(bytes));
    transport.receive(...text('!'));
    expect(first).toEqual(['Data', 'Command', 'Data']);
    expect(decoded(second)).toBe('!');
  });

  it('keeps the newest bytes within maxHeldInput and says what it dropped', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { maxHeldInput: 10 });
    const warned: string[] = [];
    connection.warnings$.subscribe((event) => warned.push(event.code));
    for (const part of ['aaaa', 'bbbb', 'cccc', 'login: ']) transport.receive(...text(part));
    await tick();
    const seen: string[] = [];
    connection.events$.subscribe((event) => {
      seen.push(
        event._tag === 'Data'
          ? new TextDecoder().decode(event.bytes)
          : `${event._tag}:${'code' in event ? event.code : ''}`,
      );
    });
    expect(warned).toEqual(['HeldInputDropped']);
    expect(seen).toEqual(['Warning:HeldInputDropped', 'login: ']);
  });

  it('holds nothing with maxHeldInput 0, and refuses a negative bound', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { maxHeldInput: 0 });
    transport.receive(...text('lost'));
    const seen: Uint8Array[] = [];
    connection.data$.subscribe((bytes) => seen.push(bytes));
    expect(seen).toEqual([]);
    expect(() => createConnection(manualTransport(), { maxHeldInput: -1 })).toThrow(RangeError);
  });

  it('is still delivered when the connection closed before anyone read it', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    transport.receive(...text('Goodbye\r\n'));
    transport.peerCloses();
    await firstValueFrom(connection.closed$);
    expect(decoded(await lastValueFrom(connection.data$.pipe(toArray())))).toBe('Goodbye\n');
  });

  it('lets an expect created after awaiting a negotiation see the banner', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [TelnetOption.ECHO] }) });
    const agreed = firstValueFrom(connection.do(TelnetOption.ECHO));
    transport.receive(255, 251, TelnetOption.ECHO, ...text('Welcome to the box\r\nlogin: '));
    await agreed;
    const found = await firstValueFrom(createExpect(connection).expect('login: '));
    expect(found.before).toBe('Welcome to the box\n');
  });
});
