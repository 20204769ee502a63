import * as E from 'fp-ts/lib/Either.js';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import {
  ConnectionClosedError,
  OptionRefusedError,
  TransportError,
  WebSocketError,
} from '../../src/negotiation/errors.js';
import { asEither } from '../../src/operators/asEither.js';
import { TelnetOption } from '../../src/protocol/options.js';

const scheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });

describe('asEither', () => {
  it('wraps values in Right and passes completion through', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|', { a: 1, b: 2 });
      expectObservable(source.pipe(asEither())).toBe('-x-y-|', { x: E.right(1), y: E.right(2) });
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('turns a TelnetError into one Left, then completes', () => {
    const refused = new OptionRefusedError(TelnetOption.NAWS, 'local');
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-#', { a: 'x' }, refused);
      expectObservable(source.pipe(asEither())).toBe('-r-(l|)', { r: E.right('x'), l: E.left(refused) });
    });
  });

  it.each([
    ['a TransportError', new TransportError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:23')],
    ['a WebSocketError', new WebSocketError('ERR_WEBSOCKET_CLOSED', 'WebSocket closed with code 1006', 1006)],
  ])('turns %s into one Left, then completes', (_label, failure) => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-#', { a: 'x' }, failure);
      expectObservable(source.pipe(asEither())).toBe('-r-(l|)', { r: E.right('x'), l: E.left(failure) });
    });
  });

  it('rethrows any other error unchanged', () => {
    const bug = new TypeError('not a telnet failure');
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-#', { a: 'x' }, bug);
      expectObservable(source.pipe(asEither())).toBe('-r-#', { r: E.right('x') }, bug);
    });
  });

  it('unsubscribes from the source when the result is unsubscribed', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|');
      expectObservable(source.pipe(asEither()), '^--!').toBe('-x-', { x: E.right('a') });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('is cold: each subscription gets its own run of the source', () => {
    const closed = new ConnectionClosedError();
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, closed);
      const either = source.pipe(asEither());
      expectObservable(either).toBe('-(l|)', { l: E.left(closed) });
      expectObservable(either, '--^').toBe('---(l|)', { l: E.left(closed) });
      expectSubscriptions(source.subscriptions).toBe(['^!', '--^!']);
    });
  });
});
