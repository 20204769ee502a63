import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { createConnection } from '../../src/session/connection.js';
import type { CloseReason } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });

const idle: CloseReason = { _tag: 'IdleTimeout', idleTimeout: 100 };

describe('createConnection: idleTimeout', () => {
  it('closes with IdleTimeout when the peer sends nothing for idleTimeout ms from the start', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const transport = manualTransport();
      const connection = createConnection(transport, { idleTimeout: 100, scheduler });
      expectObservable(connection.closed$).toBe('100ms (a|)', { a: idle });
    });
  });

  it('counts from the last chunk the peer sent, and ignores what we send', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const transport = manualTransport();
      const connection = createConnection(transport, { idleTimeout: 100, scheduler });
      scheduler.schedule(() => {
        transport.receive(0x6c);
      }, 60);
      scheduler.schedule(() => {
        transport.receive(0x6f);
      }, 150);
      scheduler.schedule(() => {
        connection.write('still here?\r\n');
      }, 200);
      expectObservable(connection.closed$).toBe('250ms (a|)', { a: idle });
    });
  });

  it('never fires with the default (Infinity) and stops its timer when the connection closes', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const transport = manualTransport();
      const connection = createConnection(transport, { scheduler });
      expectObservable(connection.closed$, '^ 10000ms !').toBe('');
      const closing = manualTransport();
      const closed = createConnection(closing, { idleTimeout: 100, scheduler });
      scheduler.schedule(() => {
        closing.peerCloses();
      }, 50);
      expectObservable(closed.closed$).toBe('50ms (a|)', { a: { _tag: 'ClosedByPeer' } });
    });
  });

  it('rejects 0, negative and NaN with a RangeError', () => {
    for (const bad of [0, -5, Number.NaN]) {
      expect(() => createConnection(manualTransport(), { idleTimeout: bad })).toThrow(RangeError);
    }
    createConnection(manualTransport(), { idleTimeout: Infinity }).loseConnection();
  });
});
