import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeText } from '../../src/operators/encodeText.js';
import type { TextEncodingName } from '../../src/text/encodings.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

describe('encodeText', () => {
  it('encodes UTF-8 by default, one chunk per string, empty strings included', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c|', { a: 'é', b: '', c: 'hi' });
      expectObservable(source.pipe(encodeText())).toBe('-x-y-z|', {
        x: bytes(0xc3, 0xa9),
        y: bytes(),
        z: bytes(0x68, 0x69),
      });
    });
  });

  it('encodes the given encoding, with ? for what it cannot represent', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a|', { a: 'é€' });
      expectObservable(source.pipe(encodeText('latin1'))).toBe('-x|', { x: bytes(0xe9, 0x3f) });
      expectObservable(source.pipe(encodeText('cp437'))).toBe('-x|', { x: bytes(0x82, 0x3f) });
      expectObservable(source.pipe(encodeText('ascii'))).toBe('-x|', { x: bytes(0x3f, 0x3f) });
    });
  });

  it('encodes each string with the latest encoding of an Observable, UTF-8 before the first', () => {
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const encoding = hot<TextEncodingName>('--l--a|', { l: 'latin1', a: 'ascii' });
      const source = cold('-e-e--e--|', { e: 'é' });
      expectObservable(source.pipe(encodeText(encoding))).toBe('-u-l--a--|', {
        u: bytes(0xc3, 0xa9),
        l: bytes(0xe9),
        a: bytes(0x3f),
      });
      expectSubscriptions(encoding.subscriptions).toBe('^-----!');
    });
  });

  it('forwards errors of the encoding Observable and unsubscribes from the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const encoding = cold<TextEncodingName>('--#', undefined, new Error('charset'));
      const source = cold('-a---|', { a: 'x' });
      expectObservable(source.pipe(encodeText(encoding))).toBe('-x#', { x: bytes(0x78) }, new Error('charset'));
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });
});
