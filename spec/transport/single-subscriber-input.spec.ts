import { take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { singleSubscriberInput } from '../../src/transport/single-subscriber-input.js';
import type { SingleSubscriberInputOptions } from '../../src/transport/single-subscriber-input.js';
import { watch } from '../helpers/watch.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const valuesOf = (chunks: readonly Uint8Array[]): number[][] => chunks.map((chunk) => [...chunk]);

/** An input that records its start/stop calls and overflows. */
const setup = (options: Partial<SingleSubscriberInputOptions> = {}) => {
  const calls: string[] = [];
  const feed = singleSubscriberInput({
    refuse: () => new Error('once only'),
    start: () => calls.push('start'),
    stop: () => calls.push('stop'),
    ...options,
  });
  return { feed, calls };
};

const holding = (maxBytes: number) => {
  const calls: string[] = [];
  const feed = singleSubscriberInput({
    refuse: () => new Error('once only'),
    hold: { maxBytes, overflow: () => calls.push('overflow') },
  });
  return { feed, calls };
};

describe('singleSubscriberInput', () => {
  it('passes chunks to its subscriber as they are, starting on subscribe and stopping on unsubscribe', () => {
    const { feed, calls } = setup();
    const { seen, subscription } = watch(feed.input);
    expect(calls).toEqual(['start']);
    const chunk = bytes(1, 2);
    feed.next(chunk);
    expect(seen.values[0]).toBe(chunk);
    subscription.unsubscribe();
    expect(calls).toEqual(['start', 'stop']);
  });

  it('refuses a second subscriber, even after the first one left', () => {
    const { feed, calls } = setup();
    const first = watch(feed.input);
    expect(watch(feed.input).seen.error).toMatchObject({ message: 'once only' });
    first.subscription.unsubscribe();
    expect(watch(feed.input).seen.error).toMatchObject({ message: 'once only' });
    expect(calls).toEqual(['start', 'stop']);
  });

  it('without hold, drops what is fed before the subscription and after the subscriber left', () => {
    const { feed } = setup();
    feed.next(bytes(1));
    const { seen, subscription } = watch(feed.input);
    feed.next(bytes(2));
    subscription.unsubscribe();
    feed.next(bytes(3));
    expect(valuesOf(seen.values)).toEqual([[2]]);
  });

  it('with hold, keeps what is fed before the subscription and the end too, for the subscriber', () => {
    const { feed, calls } = holding(16);
    feed.next(bytes(1));
    feed.next(bytes(2, 3));
    feed.complete();
    feed.next(bytes(4));
    const { seen } = watch(feed.input);
    expect(valuesOf(seen.values)).toEqual([[1], [2, 3]]);
    expect(seen.completed).toBe(true);
    expect(calls).toEqual([]);
  });

  it('with hold, calls overflow once more than maxBytes wait, keeping the chunk that went past', () => {
    const { feed, calls } = holding(4);
    feed.next(bytes(1, 2, 3, 4));
    expect(calls).toEqual([]);
    feed.next(bytes(5));
    expect(calls).toEqual(['overflow']);
    feed.error(new Error('overflow'));
    const { seen } = watch(feed.input);
    expect(valuesOf(seen.values)).toEqual([[1, 2, 3, 4], [5]]);
    expect(seen.error).toMatchObject({ message: 'overflow' });
  });

  it('holds nothing once its subscriber is there: the limit applies only before it', () => {
    const { feed, calls } = holding(1);
    const { seen } = watch(feed.input);
    feed.next(bytes(1, 2, 3));
    expect(valuesOf(seen.values)).toEqual([[1, 2, 3]]);
    expect(calls).toEqual([]);
  });

  it('completes or errors the subscriber once, on the first end, and stops reading', () => {
    const { feed, calls } = setup();
    const { seen } = watch(feed.input);
    feed.error(new Error('reset'));
    feed.complete();
    feed.next(bytes(1));
    expect(seen).toEqual({ values: [], completed: false, error: new Error('reset') });
    expect(calls).toEqual(['start', 'stop']);
  });

  it('tells a late subscriber the end at once, without starting', () => {
    const { feed, calls } = setup();
    feed.complete();
    expect(watch(feed.input).seen.completed).toBe(true);
    expect(calls).toEqual([]);
  });

  it('lets start end the input at once', () => {
    const calls: string[] = [];
    const feed = singleSubscriberInput({
      refuse: () => new Error('once only'),
      start: () => {
        calls.push('start');
        feed.error(new Error('failed before'));
      },
      stop: () => calls.push('stop'),
    });
    const { seen } = watch(feed.input);
    expect(seen.error).toMatchObject({ message: 'failed before' });
    expect(calls).toEqual(['start', 'stop']);
  });

  it('does not start for a subscriber that left while taking what was held', () => {
    const calls: string[] = [];
    const feed = singleSubscriberInput({
      refuse: () => new Error('once only'),
      hold: { maxBytes: 16, overflow: () => undefined },
      start: () => calls.push('start'),
    });
    feed.next(bytes(1));
    feed.next(bytes(2));
    const { seen } = watch(feed.input.pipe(take(1)));
    expect(valuesOf(seen.values)).toEqual([[1]]);
    expect(seen.completed).toBe(true);
    expect(calls).toEqual([]);
  });
});
