import { firstValueFrom, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection, watchConnection } from '../../src/session/connection.js';
import type { CloseReason, OptionState, TelnetConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, SB, SE, WILL } = Command;
const { ECHO, GMCP, NAWS } = TelnetOption;

/** A TelnetConnection that is not one of the module's: every member delegates to `connection`. */
const foreign = (connection: TelnetConnection): TelnetConnection =>
  new Proxy(connection, {
    get: (target, key) => {
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });

describe('watchConnection', () => {
  it('tells the warnings, then the end in the order of the subscribers of closed$, once', () => {
    for (const wrap of [(connection: TelnetConnection) => connection, foreign]) {
      const transport = manualTransport();
      const connection = createConnection(transport);
      const told: string[] = [];
      connection.closed$.subscribe(() => told.push('first subscriber'));
      watchConnection(wrap(connection), {
        warned: (event) => told.push(`warned ${event.code}`),
        ended: (reason) => told.push(`ended ${reason._tag}`),
      });
      connection.closed$.subscribe(() => told.push('last subscriber'));
      transport.receive(IAC, SE);
      transport.peerCloses();
      transport.receive(IAC, SE);
      expect(told).toEqual(['warned StraySE', 'first subscriber', 'ended ClosedByPeer', 'last subscriber']);
    }
  });

  it('tells a connection that has closed at once, as closed$ replays it', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    connection.loseConnection();
    const ended: CloseReason[] = [];
    watchConnection(connection, { ended: (reason) => ended.push(reason) });
    expect(ended).toEqual([{ _tag: 'ClosedByUs' }]);
  });
});

describe('subnegotiations$(option)', () => {
  const payloads = (events: Observable<{ readonly payload: Uint8Array }>): number[][] => {
    const seen: number[][] = [];
    events.subscribe((event) => seen.push([...event.payload]));
    return seen;
  };

  it('emits that option only, stops at unsubscribe, and completes with the connection (at once after it)', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const gmcp = payloads(connection.subnegotiations$(GMCP));
    const left = connection.subnegotiations$(GMCP).subscribe();
    const naws: number[][] = [];
    const nawsSubscription = connection.subnegotiations$(NAWS).subscribe((event) => naws.push([...event.payload]));
    transport.receive(IAC, SB, GMCP, 1, IAC, SE, IAC, SB, NAWS, 2, IAC, SE);
    nawsSubscription.unsubscribe();
    left.unsubscribe();
    transport.receive(IAC, SB, NAWS, 3, IAC, SE, IAC, SB, GMCP, 4, IAC, SE);
    expect(gmcp).toEqual([[1], [4]]);
    expect(naws).toEqual([[2]]);
    const completed = firstValueFrom(connection.subnegotiations$(GMCP), { defaultValue: 'completed' });
    transport.peerCloses();
    expect(await completed).toBe('completed');
    expect(await firstValueFrom(connection.subnegotiations$(GMCP), { defaultValue: 'completed' })).toBe('completed');
  });

  it('has payloads made for it when nobody reads events$ or any other stream', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    connection.events$.subscribe().unsubscribe(); // nothing is held any more
    const gmcp = payloads(connection.subnegotiations$(GMCP));
    transport.receive(IAC, SB, GMCP, 7, IAC, SE);
    expect(gmcp).toEqual([[7]]);
  });
});

describe('options$', () => {
  it('shows the options negotiated up to the last change, to early and late subscribers alike', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [ECHO] }) });
    const early: ReadonlyMap<number, OptionState>[] = [];
    connection.options$.subscribe((states) => early.push(states));
    transport.receive(IAC, WILL, 99); // refused: no change
    const late = (): ReadonlyMap<number, OptionState> | undefined => {
      let states: ReadonlyMap<number, OptionState> | undefined;
      connection.options$.subscribe((value) => (states ??= value)).unsubscribe();
      return states;
    };
    expect(late()).toEqual(new Map());
    transport.receive(IAC, WILL, ECHO);
    const now = new Map([
      [99, { local: false, remote: false }],
      [ECHO, { local: false, remote: true }],
    ]);
    expect(late()).toEqual(now);
    expect(early).toEqual([new Map(), now]);
  });
});

describe('streams made on first use, or kept without a Subject', () => {
  it('end for a subscriber that comes after the close as they did before it', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { readyQuiet: Infinity, readyTimeout: Infinity });
    transport.peerCloses();
    const ended = async (stream: Observable<unknown>): Promise<unknown> =>
      firstValueFrom(stream, { defaultValue: 'completed' });
    expect(await ended(connection.compression$)).toBe('completed');
    expect(await ended(connection.commands$)).toBe('completed');
    expect(await ended(connection.warnings$)).toBe('completed');
    expect(await ended(connection.subnegotiations$())).toBe('completed');
    expect(await ended(connection.events$)).toBe('completed');
    expect(await ended(connection.data$)).toBe('completed');
    const first = await firstValueFrom(connection.ready$).catch((error: unknown) => error);
    const second = await firstValueFrom(connection.ready$).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(ConnectionClosedError);
    expect(second).toBe(first);
  });
});

describe('watchConnection, stopped', () => {
  it('tells nothing more once the function it returned was called', () => {
    for (const wrap of [(connection: TelnetConnection) => connection, foreign]) {
      const transport = manualTransport();
      const connection = createConnection(transport);
      const told: string[] = [];
      const stop = watchConnection(wrap(connection), {
        warned: (event) => told.push(`warned ${event.code}`),
        ended: (reason) => told.push(`ended ${reason._tag}`),
      });
      transport.receive(IAC, SE);
      stop();
      transport.receive(IAC, SE);
      transport.peerCloses();
      expect(told).toEqual(['warned StraySE']);
    }
  });
});
