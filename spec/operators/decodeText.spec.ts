import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeText } from '../../src/operators/decodeText.js';
import type { TextEncodingName } from '../../src/text/encodings.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

describe('decodeText', () => {
  it('decodes UTF-8 by default, keeping a character split across chunks whole', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c|', { a: bytes(0x68, 0xc3), b: bytes(0xa9), c: bytes(0xe2, 0x82, 0xac) });
      expectObservable(source.pipe(decodeText())).toBe('-x-y-z|', { x: 'h', y: 'é', z: '€' });
    });
  });

  it('emits nothing for chunks that complete no character', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c|', { a: bytes(0xf0, 0x9f), b: bytes(0x98), c: bytes(0x80) });
      expectObservable(source.pipe(decodeText())).toBe('-----z|', { z: '😀' });
    });
  });

  it('flushes held-back bytes as U+FFFD before completing', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a|', { a: bytes(0x61, 0xe2, 0x82) });
      expectObservable(source.pipe(decodeText())).toBe('-x(y|)', { x: 'a', y: '\ufffd' });
    });
  });

  it('decodes the given single-byte encoding', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a|', { a: bytes(0xc9, 0xcd, 0xbb) });
      expectObservable(source.pipe(decodeText('cp437'))).toBe('-x|', { x: '╔═╗' });
      expectObservable(source.pipe(decodeText('latin1'))).toBe('-x|', { x: 'ÉÍ»' });
    });
  });

  it('applies each encoding of an Observable to the bytes that follow it, flushing the old decoder', () => {
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const encoding = hot<TextEncodingName>('----l----u---', { l: 'latin1', u: 'utf-8' });
      const source = cold('-a-b--c---d-|', {
        a: bytes(0xc3, 0xa9),
        b: bytes(0xe2),
        c: bytes(0xe9),
        d: bytes(0xc3, 0xa9),
      });
      expectObservable(source.pipe(decodeText(encoding))).toBe('-a--b-c---d-|', {
        a: 'é',
        b: '\ufffd',
        c: 'é',
        d: 'é',
      });
      expectSubscriptions(encoding.subscriptions).toBe('^-----------!');
    });
  });

  it('keeps the decoder when the Observable repeats the current encoding', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const encoding = cold<TextEncodingName>('--u', { u: 'utf-8' });
      const source = cold('-a--b|', { a: bytes(0xc3), b: bytes(0xa9) });
      expectObservable(source.pipe(decodeText(encoding))).toBe('----x|', { x: 'é' });
    });
  });

  it('decodes UTF-8 until the Observable emits, and keeps the last encoding after it completes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const encoding = cold<TextEncodingName>('--(a|)', { a: 'ascii' });
      const source = cold('-a--b|', { a: bytes(0xc3, 0xa9), b: bytes(0xc3, 0xa9) });
      expectObservable(source.pipe(decodeText(encoding))).toBe('-x--y|', { x: 'é', y: '\ufffd\ufffd' });
    });
  });

  it('forwards errors of the source and of the encoding Observable', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failingEncoding = cold<TextEncodingName>('--#', undefined, new Error('charset'));
      const source = cold('-a---|', { a: bytes(0x61) });
      expectObservable(source.pipe(decodeText(failingEncoding))).toBe('-x#', { x: 'a' }, new Error('charset'));
      expectSubscriptions(source.subscriptions).toBe('^-!');
      expectObservable(cold<Uint8Array>('-#', undefined, new Error('socket')).pipe(decodeText())).toBe(
        '-#',
        undefined,
        new Error('socket'),
      );
    });
  });

  it('gives each subscription its own decoder', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const decoded = cold('-a-b|', { a: bytes(0x68, 0xc3), b: bytes(0xa9) }).pipe(decodeText());
      expectObservable(decoded).toBe('-x-y|', { x: 'h', y: 'é' });
      expectObservable(decoded, '--^').toBe('---x-y|', { x: 'h', y: 'é' });
    });
  });

  it('unsubscribes from the source and the encoding Observable on unsubscribe', () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const encoding = hot<TextEncodingName>('-----');
      const source = hot<Uint8Array>('-a---', { a: bytes(0x61) });
      expectObservable(source.pipe(decodeText(encoding)), '^--!').toBe('-x--', { x: 'a' });
      expectSubscriptions(source.subscriptions).toBe('^--!');
      expectSubscriptions(encoding.subscriptions).toBe('^--!');
    });
  });
});
