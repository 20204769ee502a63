import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { NegotiationVerb } from '../../src/codec/events.js';
import { sideOf, type Side } from '../../src/negotiation/q-method.js';
import { Negotiator } from '../../src/session/negotiator.js';

/**
 * Our negotiator (the Q method with its pending requests, joins, re-sends and withdrawals) against a peer over
 * two FIFO pipes, while users ask, give up (a timeout and an unsubscribe both detach the listener) and retry.
 * The peer is another of ours, or a naive one that answers every request, confirmations included.
 */
const OPTIONS = 2;
const sides: readonly Side[] = ['local', 'remote'];
const mirror: Record<Side, Side> = { local: 'remote', remote: 'local' };

interface Message {
  readonly verb: NegotiationVerb;
  readonly option: number;
}

interface End {
  readonly receive: (message: Message) => void;
  readonly enabled: (side: Side, option: number) => boolean;
  readonly outbox: Message[];
}

interface Asked {
  settlements: number;
  detached: boolean;
  detach: () => void;
}

const storm = { maxAnswers: Number.MAX_SAFE_INTEGER, windowMs: 1 };

const ours = (accepts: Record<Side, readonly boolean[]>): End & { readonly negotiator: Negotiator } => {
  const outbox: Message[] = [];
  const negotiator = new Negotiator(
    {
      send: (verb, option) => outbox.push({ verb, option }),
      changed: () => undefined,
      warn: () => undefined,
      now: () => 0,
    },
    { local: (option) => accepts.local[option] ?? false, remote: (option) => accepts.remote[option] ?? false },
    storm,
  );
  return {
    negotiator,
    outbox,
    receive: ({ verb, option }) => {
      negotiator.receive(verb, option);
    },
    enabled: (side, option) => negotiator.isEnabled(side, option),
  };
};

/** Answers every request, whatever its state: agrees by its policy, obeys every disable, and says so. */
const naive = (accepts: Record<Side, readonly boolean[]>): End => {
  const outbox: Message[] = [];
  const state = new Map<string, boolean>();
  const answers: Record<NegotiationVerb, [NegotiationVerb, NegotiationVerb]> = {
    DO: ['WILL', 'WONT'],
    DONT: ['WONT', 'WONT'],
    WILL: ['DO', 'DONT'],
    WONT: ['DONT', 'DONT'],
  };
  return {
    outbox,
    receive: ({ verb, option }) => {
      const side = sideOf(verb);
      const on = (verb === 'DO' || verb === 'WILL') && (accepts[side][option] ?? false);
      state.set(`${side}:${option}`, on);
      outbox.push({ verb: answers[verb][on ? 0 : 1], option });
    },
    enabled: (side, option) => state.get(`${side}:${option}`) ?? false,
  };
};

const accepts = fc.record({
  local: fc.array(fc.boolean(), { minLength: OPTIONS, maxLength: OPTIONS }),
  remote: fc.array(fc.boolean(), { minLength: OPTIONS, maxLength: OPTIONS }),
});

const who = fc.constantFrom<'us' | 'peer'>('us', 'peer');

const action = fc.oneof(
  fc.record({
    _tag: fc.constant('Ask' as const),
    by: who,
    side: fc.constantFrom(...sides),
    option: fc.integer({ min: 0, max: OPTIONS - 1 }),
    enable: fc.boolean(),
  }),
  fc.record({ _tag: fc.constant('GiveUp' as const), index: fc.nat() }),
  fc.record({ _tag: fc.constant('Deliver' as const), to: who }),
);

describe('our negotiator with timeouts, cancellations and retries', () => {
  test.prop([accepts, accepts, fc.boolean(), fc.array(action, { maxLength: 40 }), fc.array(who, { minLength: 1 })], {
    numRuns: 3_000,
  })(
    'never loops, settles each live request once, applies late answers, and both ends agree once quiet',
    (acceptsUs, acceptsPeer, peerIsNaive, schedule, drainOrder) => {
      const us = ours(acceptsUs);
      const peerOurs = peerIsNaive ? undefined : ours(acceptsPeer);
      const peer = peerOurs ?? naive(acceptsPeer);
      const ends = { us, peer };
      const asked: Asked[] = [];
      const problems: string[] = [];
      const deliver = (to: 'us' | 'peer'): boolean => {
        const message = ends[to === 'us' ? 'peer' : 'us'].outbox.shift();
        if (message !== undefined) ends[to].receive(message);
        return message !== undefined;
      };

      for (const step of schedule) {
        if (step._tag === 'Ask') {
          const negotiator = step.by === 'us' ? us.negotiator : peerOurs?.negotiator;
          if (negotiator === undefined) continue;
          const record: Asked = { settlements: 0, detached: false, detach: () => undefined };
          record.detach = negotiator.ask(step.side, step.option, step.enable, () => {
            if (record.detached) problems.push('a listener heard after it detached');
            record.settlements += 1;
          });
          asked.push(record);
        } else if (step._tag === 'GiveUp') {
          const record = asked[step.index % Math.max(asked.length, 1)];
          if (record?.settlements === 0 && !record.detached) {
            record.detached = true;
            record.detach();
          }
        } else {
          deliver(step.to);
        }
      }

      const budget = 2_000;
      let turn = 0;
      for (; turn < budget && us.outbox.length + peer.outbox.length > 0; turn += 1) {
        const preferred = drainOrder[turn % drainOrder.length] ?? 'us';
        if (!deliver(preferred)) deliver(preferred === 'us' ? 'peer' : 'us');
      }
      if (turn >= budget) problems.push('no quiescence: the ends loop');

      asked.forEach((record, index) => {
        if (record.settlements > 1) problems.push(`request ${index} settled ${record.settlements} times`);
        if (!record.detached && record.settlements !== 1) problems.push(`request ${index} never settled`);
      });
      if (us.negotiator.negotiating()) problems.push('a request of ours still waits once quiet');
      for (let option = 0; option < OPTIONS; option += 1) {
        for (const side of sides) {
          if (us.enabled(side, option) !== peer.enabled(mirror[side], option)) {
            problems.push(`option ${option}: our ${side} side disagrees with the peer's`);
          }
        }
      }
      expect(problems).toEqual([]);
    },
  );
});
