import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { NegotiationVerb } from '../../src/codec/events.js';
import {
  initialSide,
  isEnabled,
  sideOf,
  stepQ,
  type QInput,
  type QSide,
  type Side,
} from '../../src/negotiation/q-method.js';

/**
 * Two peers, each running one Q method machine per option and side, joined by two FIFO pipes (like
 * the two directions of a TCP connection). Users ask on either end while messages are in flight.
 */
const OPTIONS = 3;
const sideNames: readonly Side[] = ['local', 'remote'];
const sentVerbs: Record<Side, readonly NegotiationVerb[]> = { local: ['WILL', 'WONT'], remote: ['DO', 'DONT'] };

type PeerName = 'A' | 'B';

interface Message {
  readonly verb: NegotiationVerb;
  readonly option: number;
}

interface Peer {
  readonly sides: Map<string, QSide>;
  /** The effective state as reported by `Changed` effects. */
  readonly enabled: Map<string, boolean>;
  /** The `enable` flag of every user request not yet settled, oldest first. */
  readonly pending: Map<string, boolean[]>;
  readonly accepts: Record<Side, readonly boolean[]>;
  /** Messages sent and not yet delivered to the other peer, in order. */
  readonly outbox: Message[];
}

interface Tally {
  asks: number;
  rejected: number;
  settled: number;
  messages: number;
  /** Queued requests taken back, and requests in flight sent again. */
  withdrawn: number;
  resends: number;
  /** Broken expectations, described; a run passes when none is found. */
  problems: string[];
}

const keyOf = (side: Side, option: number): string => `${side}:${option}`;

const newPeer = (accepts: Record<Side, readonly boolean[]>): Peer => ({
  sides: new Map(),
  enabled: new Map(),
  pending: new Map(),
  accepts,
  outbox: [],
});

const sideAt = (peer: Peer, side: Side, option: number): QSide => peer.sides.get(keyOf(side, option)) ?? initialSide;

/** Records `problem` unless `ok` (cheaper than an `expect` per effect over 10 000 runs). */
const check = (tally: Tally, ok: boolean, problem: () => string): void => {
  if (!ok) tally.problems.push(problem());
};

/** Runs one transition and checks the effects against the model's bookkeeping. */
const apply = (peer: Peer, side: Side, option: number, input: QInput, tally: Tally): void => {
  const key = keyOf(side, option);
  const current = sideAt(peer, side, option);
  const result = stepQ(side, current, input, peer.accepts[side][option] ?? false);
  const what =
    input._tag === 'Ask' ? `Ask ${String(input.enable)}` : input._tag === 'Received' ? input.verb : input._tag;
  const where = `${key} ${current.state}/${current.queue} ${what}`;
  const pending = peer.pending.get(key) ?? [];
  peer.pending.set(key, pending);

  if (input._tag === 'Ask') {
    tally.asks += 1;
    if (result.effects.some((effect) => effect._tag === 'Rejected')) {
      tally.rejected += 1;
      check(tally, result.effects.length === 1 && result.side === current, () => `${where}: rejected with more`);
    } else {
      pending.push(input.enable);
    }
  }
  if (input._tag === 'Withdraw' && current.queue === 'OPPOSITE') {
    pending.pop();
    tally.withdrawn += 1;
  }
  if (input._tag === 'Resend' && current.state.startsWith('WANT')) tally.resends += 1;

  for (const effect of result.effects) {
    switch (effect._tag) {
      case 'Send':
        check(tally, sentVerbs[side].includes(effect.verb), () => `${where}: sent ${effect.verb}`);
        peer.outbox.push({ verb: effect.verb, option });
        tally.messages += 1;
        break;
      case 'Changed':
        check(tally, (peer.enabled.get(key) ?? false) !== effect.enabled, () => `${where}: Changed without a change`);
        peer.enabled.set(key, effect.enabled);
        break;
      case 'Settled':
        check(tally, pending.shift() === effect.enable, () => `${where}: settled a request not pending`);
        check(
          tally,
          isEnabled(result.side) === (effect.outcome === 'Agreed' ? effect.enable : !effect.enable),
          () => `${where}: ${effect.outcome} contradicts the new state`,
        );
        tally.settled += 1;
        break;
      case 'Rejected':
        check(tally, input._tag === 'Ask', () => `${where}: rejected a received verb`);
        break;
      case 'Violation':
        // A repeated request may reach a peer that has since asked the other way (WANTNO): ignored there.
        if (tally.resends === 0) tally.problems.push(`${where}: violation between correct peers: ${effect.detail}`);
        break;
    }
  }
  peer.sides.set(key, result.side);
  check(tally, (peer.enabled.get(key) ?? false) === isEnabled(result.side), () => `${where}: Changed missing`);
};

/** Hands the oldest message in flight towards `to` over; false when there was none. */
const deliver = (peers: Record<PeerName, Peer>, to: PeerName, tally: Tally): boolean => {
  const message = peers[to === 'A' ? 'B' : 'A'].outbox.shift();
  if (message === undefined) return false;
  apply(peers[to], sideOf(message.verb), message.option, { _tag: 'Received', verb: message.verb }, tally);
  return true;
};

const accepts = fc.record({
  local: fc.array(fc.boolean(), { minLength: OPTIONS, maxLength: OPTIONS }),
  remote: fc.array(fc.boolean(), { minLength: OPTIONS, maxLength: OPTIONS }),
});

const peerName = fc.constantFrom<PeerName>('A', 'B');

const action = fc.oneof(
  fc.record({
    _tag: fc.constant('Ask' as const),
    peer: peerName,
    side: fc.constantFrom(...sideNames),
    option: fc.integer({ min: 0, max: OPTIONS - 1 }),
    enable: fc.boolean(),
  }),
  fc.record({ _tag: fc.constant('Deliver' as const), to: peerName }),
  fc.record({
    _tag: fc.constant('Withdraw' as const),
    peer: peerName,
    side: fc.constantFrom(...sideNames),
    option: fc.integer({ min: 0, max: OPTIONS - 1 }),
  }),
  fc.record({
    _tag: fc.constant('Resend' as const),
    peer: peerName,
    side: fc.constantFrom(...sideNames),
    option: fc.integer({ min: 0, max: OPTIONS - 1 }),
  }),
);

describe('two peers running the Q method', () => {
  test.prop(
    [accepts, accepts, fc.array(action, { maxLength: 40 }), fc.array(peerName, { minLength: 1, maxLength: 8 })],
    {
      numRuns: 10_000,
      examples: [
        // Two repeats of B's DO, the second arriving after A asked to turn the option off: 9 messages for 4.
        [
          { local: [true, false, false], remote: [false, false, false] },
          { local: [false, false, false], remote: [false, false, false] },
          [
            { _tag: 'Ask', peer: 'B', side: 'remote', option: 0, enable: true },
            { _tag: 'Resend', peer: 'B', side: 'remote', option: 0 },
            { _tag: 'Deliver', to: 'A' },
            { _tag: 'Ask', peer: 'A', side: 'local', option: 0, enable: false },
            { _tag: 'Resend', peer: 'B', side: 'remote', option: 0 },
          ],
          ['A'],
        ],
        // Three copies of B's WILL, A asking to turn the option off after the first: with RFC 1143's recovery
        // (NO on the second copy), the third turned it back on and the peers flipped it for ever (seed 2137913876).
        [
          { local: [false, false, false], remote: [false, true, false] },
          { local: [false, true, false], remote: [false, false, false] },
          [
            { _tag: 'Ask', peer: 'B', side: 'local', option: 1, enable: true },
            { _tag: 'Resend', peer: 'B', side: 'local', option: 1 },
            { _tag: 'Resend', peer: 'B', side: 'local', option: 1 },
            { _tag: 'Deliver', to: 'A' },
            { _tag: 'Ask', peer: 'A', side: 'remote', option: 1, enable: false },
          ],
          ['A'],
        ],
      ],
    },
  )(
    'converge without loops, settling every request once, with requests withdrawn and repeated',
    (acceptsA, acceptsB, schedule, drainOrder) => {
      const peers: Record<PeerName, Peer> = { A: newPeer(acceptsA), B: newPeer(acceptsB) };
      const tally: Tally = { asks: 0, rejected: 0, settled: 0, messages: 0, withdrawn: 0, resends: 0, problems: [] };

      for (const step of schedule) {
        if (step._tag === 'Ask') {
          apply(peers[step.peer], step.side, step.option, { _tag: 'Ask', enable: step.enable }, tally);
        } else if (step._tag === 'Withdraw' || step._tag === 'Resend') {
          apply(peers[step.peer], step.side, step.option, { _tag: step._tag }, tally);
        } else {
          deliver(peers, step.to, tally);
        }
      }

      // Run to quiescence in a random interleaving; a loop would exhaust the budget.
      const budget = 1_000;
      let turn = 0;
      for (; turn < budget && peers.A.outbox.length + peers.B.outbox.length > 0; turn += 1) {
        const preferred = drainOrder[turn % drainOrder.length]!;
        if (!deliver(peers, preferred, tally)) deliver(peers, preferred === 'A' ? 'B' : 'A', tally);
      }
      check(tally, turn < budget, () => 'no quiescence: the peers loop');

      // Each accepted request, and each repeat, costs at most itself and one answer; a repeat that arrives after the
      // peer asked the other way may also turn the option back on, which costs one more exchange to undo.
      const accepted = tally.asks - tally.rejected - tally.withdrawn;
      check(tally, tally.settled === accepted, () => `${tally.settled} settlements for ${accepted} requests`);
      const sent = accepted + tally.withdrawn + tally.resends;
      const bound = 2 * sent + 2 * tally.resends;
      check(tally, tally.messages <= bound, () => `${tally.messages} messages for ${sent} requests and repeats`);
      for (let option = 0; option < OPTIONS; option += 1) {
        for (const [side, mirror] of [
          ['local', 'remote'],
          ['remote', 'local'],
        ] as const) {
          const a = sideAt(peers.A, side, option);
          const b = sideAt(peers.B, mirror, option);
          const pair = `A ${side} ${a.state}/${a.queue}, B ${mirror} ${b.state}/${b.queue} (option ${option})`;
          check(tally, a.state === b.state && a.queue === b.queue, () => `diverged: ${pair}`);
          check(tally, (a.state === 'YES' || a.state === 'NO') && a.queue === 'EMPTY', () => `unsettled: ${pair}`);
          const left = [
            ...(peers.A.pending.get(keyOf(side, option)) ?? []),
            ...(peers.B.pending.get(keyOf(mirror, option)) ?? []),
          ];
          check(tally, left.length === 0, () => `requests never settled: ${pair}`);
        }
      }
      expect(tally.problems).toEqual([]);
    },
  );
});
