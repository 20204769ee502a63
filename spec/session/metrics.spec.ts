/** createTelnetMetrics: what it counts from server events and connections, and its snapshot stream. */
import { EMPTY, firstValueFrom, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { createTelnetMetrics } from '../../src/session/metrics.js';
import type { CountedEvent } from '../../src/session/metrics.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, SE } = Command;

const connectionPair = () => {
  const transport = manualTransport();
  const connection = createConnection(transport, { policy: policyOf({ remote: [TelnetOption.ECHO] }) });
  return { transport, connection };
};

describe('createTelnetMetrics', () => {
  it('starts at zero', () => {
    expect(createTelnetMetrics().snapshot()).toEqual({
      connectionsOpen: 0,
      connectionsAccepted: 0,
      connectionsRefused: {},
      connectionsClosed: {},
      warnings: {},
      bytesReceived: 0,
      bytesSent: 0,
      compressedBytesReceived: 0,
      inflatedBytesReceived: 0,
      compressedBytesSent: 0,
      uncompressedBytesSent: 0,
      negotiationsReceived: 0,
      negotiationsSent: 0,
    });
  });

  it('tracks a server stream: accepted, open, refused, closed by reason, bytes, negotiations and warnings', () => {
    const metrics = createTelnetMetrics();
    const first = connectionPair();
    const second = connectionPair();
    const events = new Subject<CountedEvent>();
    const passed: string[] = [];
    events.pipe(metrics.track()).subscribe((event) => passed.push(event._tag));
    events.next({ _tag: 'Listening' });
    events.next({ _tag: 'Connected', connection: first.connection });
    events.next({ _tag: 'Connected', connection: second.connection });
    events.next({ _tag: 'Refused', reason: 'MaxConnectionsPerAddress' });
    events.next({ _tag: 'Refused', reason: 'MaxConnectionsPerAddress' });
    expect(passed).toEqual(['Listening', 'Connected', 'Connected', 'Refused', 'Refused']);

    first.transport.receive(IAC, WILL, TelnetOption.ECHO, 0x68, 0x69, IAC, SE);
    first.connection.write('hello');
    second.connection.write('bye');
    second.transport.peerCloses();

    expect(metrics.snapshot()).toMatchObject({
      connectionsOpen: 1,
      connectionsAccepted: 2,
      connectionsRefused: { MaxConnectionsPerAddress: 2 },
      connectionsClosed: { ClosedByPeer: 1 },
      warnings: { StraySE: 1 },
      bytesReceived: 7,
      bytesSent: 3 + 5 + 3, // DO ECHO, hello, bye
      negotiationsReceived: 1,
      negotiationsSent: 1,
    });
    first.connection.loseConnection();
    // Closed connections keep counting in the totals.
    expect(metrics.snapshot()).toMatchObject({
      connectionsOpen: 0,
      connectionsClosed: { ClosedByPeer: 1, ClosedByUs: 1 },
      bytesReceived: 7,
      bytesSent: 11,
    });
  });

  it('observes a connection once however often it is given', () => {
    const metrics = createTelnetMetrics();
    const { connection } = connectionPair();
    metrics.observe(connection);
    metrics.observe(connection);
    expect(metrics.snapshot().connectionsAccepted).toBe(1);
  });

  it('passes the completion of the server stream through', async () => {
    const metrics = createTelnetMetrics();
    await expect(firstValueFrom(EMPTY.pipe(metrics.track()), { defaultValue: 'none' })).resolves.toBe('none');
  });

  it('snapshots(ms) emits one at once, then one per interval, while subscribed', () => {
    const scheduler = new TestScheduler((actual, expected) => {
      expect(actual).toEqual(expected);
    });
    scheduler.run(({ expectObservable }) => {
      const metrics = createTelnetMetrics();
      const { connection } = connectionPair();
      scheduler.schedule(() => {
        metrics.observe(connection);
      }, 15);
      const open = (n: number) => expect.objectContaining({ connectionsOpen: n }) as unknown;
      expectObservable(metrics.snapshots(10, scheduler), '^ 25ms !').toBe('a 9ms b 9ms c', {
        a: open(0),
        b: open(0),
        c: open(1),
      });
    });
  });

  it('refuses an interval that is not a positive finite number', () => {
    const metrics = createTelnetMetrics();
    for (const interval of [0, -5, Number.NaN, Infinity]) expect(() => metrics.snapshots(interval)).toThrow(RangeError);
  });
});
