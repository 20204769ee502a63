import { retry, share } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { NegotiationTimeoutError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import type { OptionSideState } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';
import { watch } from '../helpers/watch.js';

const { IAC, WILL, WONT, DO, DONT } = Command;
const { NAWS, ECHO, TTYPE } = TelnetOption;
const on = (option: number): OptionSideState => ({ option, side: 'remote', enabled: true });

const virtualTime = (): TestScheduler =>
  new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });

describe('negotiation: retry after a timeout', () => {
  it('re-sends the request on retry, and the answer settles the retry', () => {
    virtualTime().run(({ cold, expectObservable, flush }) => {
      const transport = manualTransport();
      const connection = createConnection(transport, { negotiationTimeout: 1000 });
      cold('1500ms a').subscribe(() => {
        transport.receive(IAC, WILL, NAWS);
      });
      expectObservable(connection.do(NAWS).pipe(retry(1))).toBe('1500ms (a|)', { a: on(NAWS) });
      flush();
      expect(transport.wire()).toEqual([IAC, DO, NAWS, IAC, DO, NAWS]);
      expect(connection.isEnabled('remote', NAWS)).toBe(true);
    });
  });

  it('applies a late answer: the option is on, and a retry after it is AlreadyEnabled, sending nothing', () => {
    virtualTime().run(({ cold, expectObservable, flush }) => {
      const transport = manualTransport();
      const connection = createConnection(transport, { negotiationTimeout: 1000 });
      expectObservable(connection.do(NAWS)).toBe(
        '1000ms #',
        undefined,
        new NegotiationTimeoutError(NAWS, 'remote', 1000),
      );
      cold('1200ms a').subscribe(() => {
        transport.receive(IAC, WILL, NAWS);
      });
      flush();
      expect(connection.isEnabled('remote', NAWS)).toBe(true);
      expect(watch(connection.do(NAWS)).seen.error).toMatchObject({ _tag: 'AlreadyEnabledError' });
      expect(transport.wire()).toEqual([IAC, DO, NAWS]);
    });
  });

  it('re-sends at most maxNegotiationResends times for a peer that never answers; later asks still wait', () => {
    virtualTime().run(({ expectObservable, flush }) => {
      const transport = manualTransport();
      const connection = createConnection(transport, { negotiationTimeout: 1000, maxNegotiationResends: 2 });
      const timeout = new NegotiationTimeoutError(NAWS, 'remote', 1000);
      expectObservable(connection.do(NAWS).pipe(retry(4))).toBe('5000ms #', undefined, timeout);
      flush();
      expect(transport.wire()).toEqual([IAC, DO, NAWS, IAC, DO, NAWS, IAC, DO, NAWS]);
      const late = watch(connection.do(NAWS)).seen;
      transport.receive(IAC, WILL, NAWS);
      expect(late.values).toEqual([on(NAWS)]);
      expect(transport.wire()).toHaveLength(9);
    });
  });

  it('re-sends after an unsubscribe too, and a refusal settles the retry', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    watch(connection.do(NAWS)).subscription.unsubscribe();
    const again = watch(connection.do(NAWS)).seen;
    expect(transport.wire()).toEqual([IAC, DO, NAWS, IAC, DO, NAWS]);
    transport.receive(IAC, WONT, NAWS);
    expect(again.error).toMatchObject({ _tag: 'OptionRefusedError' });
    // The peer answered both DOs: the second WONT confirms NO and is not answered.
    transport.receive(IAC, WONT, NAWS);
    expect(transport.wire()).toHaveLength(6);
  });
});

describe('negotiation: two subscribers, and taking a queued request back', () => {
  it('a second subscription to a pending request joins it: one DO, both settle with the answer', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const request = connection.do(ECHO);
    const first = watch(request).seen;
    const second = watch(request).seen;
    expect(transport.wire()).toEqual([IAC, DO, ECHO]);
    transport.receive(IAC, WILL, ECHO);
    expect(first.values).toEqual([on(ECHO)]);
    expect(second.values).toEqual([on(ECHO)]);
    expect(second.completed).toBe(true);
  });

  it('share() gives several subscribers one subscription, as usual', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const shared = connection.do(ECHO).pipe(share());
    const [a, b] = [watch(shared).seen, watch(shared).seen];
    transport.receive(IAC, WILL, ECHO);
    expect([a.values, b.values]).toEqual([[on(ECHO)], [on(ECHO)]]);
    expect(transport.wire()).toEqual([IAC, DO, ECHO]);
  });

  it('unsubscribing one of two subscribers leaves the request to the other, without a re-send', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const first = watch(connection.do(ECHO));
    const second = watch(connection.do(ECHO)).seen;
    first.subscription.unsubscribe();
    transport.receive(IAC, WILL, ECHO);
    expect(second.values).toEqual([on(ECHO)]);
    expect(transport.wire()).toEqual([IAC, DO, ECHO]);
  });

  it('unsubscribing a queued request takes it back: it is never sent', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const enable = watch(connection.do(ECHO)).seen;
    watch(connection.dont(ECHO)).subscription.unsubscribe();
    transport.receive(IAC, WILL, ECHO);
    expect(enable.values).toEqual([on(ECHO)]);
    expect(transport.wire()).toEqual([IAC, DO, ECHO]);
    expect(connection.isEnabled('remote', ECHO)).toBe(true);
  });

  it('an opposite request queued behind a given-up request does not re-send it, and goes out after its answer', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    watch(connection.do(ECHO)).subscription.unsubscribe();
    const disable = watch(connection.dont(ECHO)).seen;
    expect(transport.wire()).toEqual([IAC, DO, ECHO]);
    transport.receive(IAC, WILL, ECHO);
    expect(transport.wire()).toEqual([IAC, DO, ECHO, IAC, DONT, ECHO]);
    transport.receive(IAC, WONT, ECHO);
    expect(disable.completed).toBe(true);
  });
});

describe('negotiation: repeated and misdirected requests from the peer', () => {
  it('never answers a DO or WILL that confirms an option already agreed', () => {
    const transport = manualTransport();
    createConnection(transport, { policy: policyOf({ local: [TTYPE], remote: [ECHO] }) });
    transport.receive(IAC, DO, TTYPE, IAC, WILL, ECHO);
    expect(transport.wire()).toEqual([IAC, WILL, TTYPE, IAC, DO, ECHO]);
    transport.receive(IAC, DO, TTYPE, IAC, WILL, ECHO, IAC, DO, TTYPE, IAC, WILL, ECHO);
    transport.receive(IAC, DONT, NAWS, IAC, WONT, NAWS);
    expect(transport.wire()).toEqual([IAC, WILL, TTYPE, IAC, DO, ECHO]);
  });

  it('answers a request about our side by the policy, never settling our request about the peer side', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const request = watch(connection.do(NAWS)).seen;
    transport.receive(IAC, DO, NAWS);
    expect(transport.wire()).toEqual([IAC, DO, NAWS, IAC, WONT, NAWS]);
    expect(request.values).toEqual([]);
    expect(request.error).toBeUndefined();
    expect(connection.isEnabled('local', NAWS)).toBe(false);
    transport.receive(IAC, WILL, NAWS);
    expect(request.values).toEqual([on(NAWS)]);
    expect(connection.isEnabled('local', NAWS)).toBe(false);
  });
});

describe('maxNegotiationResends', () => {
  it.each([-1, 1.5, Number.NaN, Infinity])('refuses %d', (value) => {
    expect(() => createConnection(manualTransport(), { maxNegotiationResends: value })).toThrow(
      /maxNegotiationResends/,
    );
  });

  it('0 never re-sends', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { maxNegotiationResends: 0 });
    watch(connection.do(NAWS)).subscription.unsubscribe();
    const again = watch(connection.do(NAWS)).seen;
    transport.receive(IAC, WILL, NAWS);
    expect(again.values).toEqual([on(NAWS)]);
    expect(transport.wire()).toEqual([IAC, DO, NAWS]);
  });
});

describe('negotiation: the two sides of one option are independent (RFC 1143; Twisted refuses)', () => {
  it('sends do(X) while will(X) waits, and settles each on its own answer', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const local = watch(connection.will(ECHO)).seen;
    const remote = watch(connection.do(ECHO)).seen;
    expect(transport.wire()).toEqual([IAC, WILL, ECHO, IAC, DO, ECHO]);
    transport.receive(IAC, WILL, ECHO);
    expect(remote.values).toEqual([on(ECHO)]);
    expect(local.values).toEqual([]);
    transport.receive(IAC, DONT, ECHO);
    expect(local.error).toMatchObject({ _tag: 'OptionRefusedError', side: 'local' });
  });
});
