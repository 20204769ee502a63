import { describe, expect, it } from 'vitest';
import type { NegotiationVerb } from '../../src/codec/events.js';
import {
  initialSide,
  isEnabled,
  sideOf,
  stepQ,
  type QEffect,
  type QQueue,
  type QSide,
  type QState,
  type Side,
} from '../../src/negotiation/q-method.js';

/** The verbs of a side, written abstractly in the tables below: `+` enable, `-` disable. */
const verbs: Record<
  Side,
  { readonly send: Record<'+' | '-', NegotiationVerb>; readonly peer: Record<'+' | '-', NegotiationVerb> }
> = {
  local: { send: { '+': 'WILL', '-': 'WONT' }, peer: { '+': 'DO', '-': 'DONT' } },
  remote: { send: { '+': 'DO', '-': 'DONT' }, peer: { '+': 'WILL', '-': 'WONT' } },
};

/** An expected effect with the verb left abstract. */
type Expected =
  | { readonly send: '+' | '-' }
  | { readonly violation: true }
  | Exclude<QEffect, { _tag: 'Send' } | { _tag: 'Violation' }>;

const sendE = (verb: '+' | '-'): Expected => ({ send: verb });
const violationE: Expected = { violation: true };
const changed = (enabled: boolean): Expected => ({ _tag: 'Changed', enabled });
const agreed = (enable: boolean): Expected => ({ _tag: 'Settled', enable, outcome: 'Agreed' });
const refused = (enable: boolean): Expected => ({ _tag: 'Settled', enable, outcome: 'Refused' });
const rejected = (enable: boolean, reason: 'AlreadyEnabled' | 'AlreadyDisabled' | 'AlreadyNegotiating'): Expected => ({
  _tag: 'Rejected',
  enable,
  reason,
});

const concrete = (side: Side, expected: Expected): unknown => {
  if ('send' in expected) return { _tag: 'Send', verb: verbs[side].send[expected.send] };
  if ('violation' in expected) return { _tag: 'Violation', detail: expect.any(String) as unknown };
  return expected;
};

interface Cell {
  readonly state: QState;
  readonly queue: QQueue;
  readonly next: readonly [QState, QQueue];
  readonly effects: readonly Expected[];
}

interface ReceivedCell extends Cell {
  readonly verb: '+' | '-';
  readonly accept: boolean;
}

interface AskCell extends Cell {
  readonly enable: boolean;
}

/**
 * RFC 1143 section 7, "Upon receipt of WILL/DO" and "Upon receipt of WONT/DONT", for both policy answers (but for
 * the peer's enable in WANTNO, see the module's notes).
 */
const receivedCells: readonly ReceivedCell[] = [
  // Upon receipt of the peer's enable (WILL for remote, DO for local).
  {
    verb: '+',
    state: 'NO',
    queue: 'EMPTY',
    accept: true,
    next: ['YES', 'EMPTY'],
    effects: [sendE('+'), changed(true)],
  },
  { verb: '+', state: 'NO', queue: 'EMPTY', accept: false, next: ['NO', 'EMPTY'], effects: [sendE('-')] },
  { verb: '+', state: 'YES', queue: 'EMPTY', accept: true, next: ['YES', 'EMPTY'], effects: [] },
  { verb: '+', state: 'YES', queue: 'EMPTY', accept: false, next: ['YES', 'EMPTY'], effects: [] },
  ...[true, false].flatMap((accept): ReceivedCell[] => [
    // Not RFC 1143's recovery (NO; YES with the queue): a repeat sent before our disable arrived, ignored.
    { verb: '+', state: 'WANTNO', queue: 'EMPTY', accept, next: ['WANTNO', 'EMPTY'], effects: [violationE] },
    { verb: '+', state: 'WANTNO', queue: 'OPPOSITE', accept, next: ['WANTNO', 'OPPOSITE'], effects: [violationE] },
    {
      verb: '+',
      state: 'WANTYES',
      queue: 'EMPTY',
      accept,
      next: ['YES', 'EMPTY'],
      effects: [changed(true), agreed(true)],
    },
    {
      verb: '+',
      state: 'WANTYES',
      queue: 'OPPOSITE',
      accept,
      next: ['WANTNO', 'EMPTY'],
      effects: [changed(true), agreed(true), sendE('-')],
    },
  ]),
  // Upon receipt of the peer's disable (WONT for remote, DONT for local): the policy plays no part.
  ...[true, false].flatMap((accept): ReceivedCell[] => [
    { verb: '-', state: 'NO', queue: 'EMPTY', accept, next: ['NO', 'EMPTY'], effects: [] },
    { verb: '-', state: 'YES', queue: 'EMPTY', accept, next: ['NO', 'EMPTY'], effects: [sendE('-'), changed(false)] },
    {
      verb: '-',
      state: 'WANTNO',
      queue: 'EMPTY',
      accept,
      next: ['NO', 'EMPTY'],
      effects: [changed(false), agreed(false)],
    },
    {
      verb: '-',
      state: 'WANTNO',
      queue: 'OPPOSITE',
      accept,
      next: ['WANTYES', 'EMPTY'],
      effects: [changed(false), agreed(false), sendE('+')],
    },
    { verb: '-', state: 'WANTYES', queue: 'EMPTY', accept, next: ['NO', 'EMPTY'], effects: [refused(true)] },
    {
      verb: '-',
      state: 'WANTYES',
      queue: 'OPPOSITE',
      accept,
      next: ['NO', 'EMPTY'],
      effects: [refused(true), agreed(false)],
    },
  ]),
];

/** RFC 1143 section 7, "If we decide to ask him to enable/disable", with queueing and no cancelling. */
const askCells: readonly AskCell[] = [
  { enable: true, state: 'NO', queue: 'EMPTY', next: ['WANTYES', 'EMPTY'], effects: [sendE('+')] },
  { enable: true, state: 'YES', queue: 'EMPTY', next: ['YES', 'EMPTY'], effects: [rejected(true, 'AlreadyEnabled')] },
  { enable: true, state: 'WANTNO', queue: 'EMPTY', next: ['WANTNO', 'OPPOSITE'], effects: [] },
  {
    enable: true,
    state: 'WANTNO',
    queue: 'OPPOSITE',
    next: ['WANTNO', 'OPPOSITE'],
    effects: [rejected(true, 'AlreadyNegotiating')],
  },
  {
    enable: true,
    state: 'WANTYES',
    queue: 'EMPTY',
    next: ['WANTYES', 'EMPTY'],
    effects: [rejected(true, 'AlreadyNegotiating')],
  },
  {
    enable: true,
    state: 'WANTYES',
    queue: 'OPPOSITE',
    next: ['WANTYES', 'OPPOSITE'],
    effects: [rejected(true, 'AlreadyNegotiating')],
  },
  { enable: false, state: 'NO', queue: 'EMPTY', next: ['NO', 'EMPTY'], effects: [rejected(false, 'AlreadyDisabled')] },
  { enable: false, state: 'YES', queue: 'EMPTY', next: ['WANTNO', 'EMPTY'], effects: [sendE('-')] },
  {
    enable: false,
    state: 'WANTNO',
    queue: 'EMPTY',
    next: ['WANTNO', 'EMPTY'],
    effects: [rejected(false, 'AlreadyNegotiating')],
  },
  {
    enable: false,
    state: 'WANTNO',
    queue: 'OPPOSITE',
    next: ['WANTNO', 'OPPOSITE'],
    effects: [rejected(false, 'AlreadyNegotiating')],
  },
  { enable: false, state: 'WANTYES', queue: 'EMPTY', next: ['WANTYES', 'OPPOSITE'], effects: [] },
  {
    enable: false,
    state: 'WANTYES',
    queue: 'OPPOSITE',
    next: ['WANTYES', 'OPPOSITE'],
    effects: [rejected(false, 'AlreadyNegotiating')],
  },
];

const sideNames: readonly Side[] = ['local', 'remote'];

const frozen = (state: QState, queue: QQueue): QSide => Object.freeze({ state, queue });

describe('stepQ: receiving a verb (RFC 1143 section 7)', () => {
  it('has a cell for every verb x state x queue x policy answer', () => {
    expect(receivedCells).toHaveLength(2 * 6 * 2);
  });

  describe.each(sideNames)('%s side', (side) => {
    it.each(
      receivedCells.map((cell) => ({
        ...cell,
        name: `${verbs[side].peer[cell.verb]} in ${cell.state}/${cell.queue} (${cell.accept ? 'accept' : 'refuse'})`,
      })),
    )('$name', (cell) => {
      const current = frozen(cell.state, cell.queue);
      const result = stepQ(side, current, { _tag: 'Received', verb: verbs[side].peer[cell.verb] }, cell.accept);
      expect(result.side).toEqual({ state: cell.next[0], queue: cell.next[1] });
      expect(result.effects).toEqual(cell.effects.map((effect) => concrete(side, effect)));
    });
  });

  it('names the broken rule in a violation', () => {
    const remote = stepQ('remote', frozen('WANTNO', 'EMPTY'), { _tag: 'Received', verb: 'WILL' }, true);
    const local = stepQ('local', frozen('WANTNO', 'OPPOSITE'), { _tag: 'Received', verb: 'DO' }, true);
    expect(remote.effects[0]).toEqual({ _tag: 'Violation', detail: 'DONT answered by WILL' });
    expect(local.effects[0]).toEqual({ _tag: 'Violation', detail: 'WONT answered by DO' });
  });

  it.each([
    ['local', 'WILL'],
    ['local', 'WONT'],
    ['remote', 'DO'],
    ['remote', 'DONT'],
  ] as const)('reports %s receiving %s as a violation and changes nothing', (side, verb) => {
    const current = frozen('YES', 'EMPTY');
    const result = stepQ(side, current, { _tag: 'Received', verb }, true);
    expect(result.side).toBe(current);
    expect(result.effects).toEqual([{ _tag: 'Violation', detail: `${verb} does not concern the ${side} side` }]);
  });
});

describe('stepQ: asking (RFC 1143 section 7, "If we decide to ask")', () => {
  it('has a cell for every request x state x queue', () => {
    expect(askCells).toHaveLength(2 * 6);
  });

  describe.each(sideNames)('%s side', (side) => {
    it.each(
      askCells.flatMap((cell) =>
        [true, false].map((accept) => ({
          ...cell,
          accept,
          name: `${cell.enable ? 'enable' : 'disable'} in ${cell.state}/${cell.queue} (policy ${String(accept)})`,
        })),
      ),
    )('$name', (cell) => {
      const current = frozen(cell.state, cell.queue);
      const result = stepQ(side, current, { _tag: 'Ask', enable: cell.enable }, cell.accept);
      expect(result.side).toEqual({ state: cell.next[0], queue: cell.next[1] });
      expect(result.effects).toEqual(cell.effects.map((effect) => concrete(side, effect)));
    });
  });

  it('leaves the side itself untouched when it rejects a request', () => {
    const current = frozen('WANTYES', 'OPPOSITE');
    expect(stepQ('remote', current, { _tag: 'Ask', enable: true }, false).side).toBe(current);
  });
});

describe('a full exchange', () => {
  it('negotiates the remote side on and off again, settling each request once', () => {
    const asked = stepQ('remote', initialSide, { _tag: 'Ask', enable: true }, false);
    const queued = stepQ('remote', asked.side, { _tag: 'Ask', enable: false }, false);
    const answered = stepQ('remote', queued.side, { _tag: 'Received', verb: 'WILL' }, false);
    const confirmed = stepQ('remote', answered.side, { _tag: 'Received', verb: 'WONT' }, false);
    expect([asked, queued, answered, confirmed].flatMap((step) => step.effects)).toEqual([
      { _tag: 'Send', verb: 'DO' },
      { _tag: 'Changed', enabled: true },
      { _tag: 'Settled', enable: true, outcome: 'Agreed' },
      { _tag: 'Send', verb: 'DONT' },
      { _tag: 'Changed', enabled: false },
      { _tag: 'Settled', enable: false, outcome: 'Agreed' },
    ]);
    expect(confirmed.side).toEqual(initialSide);
  });
});

describe('sideOf', () => {
  it.each([
    ['WILL', 'remote'],
    ['WONT', 'remote'],
    ['DO', 'local'],
    ['DONT', 'local'],
  ] as const)('%s concerns the %s side', (verb, side) => {
    expect(sideOf(verb)).toBe(side);
  });
});

describe('isEnabled', () => {
  it.each([
    ['NO', false],
    ['YES', true],
    ['WANTNO', true],
    ['WANTYES', false],
  ] as const)('%s is enabled: %s', (state, enabled) => {
    expect(isEnabled({ state, queue: 'EMPTY' })).toBe(enabled);
    expect(isEnabled({ state, queue: 'OPPOSITE' })).toBe(enabled);
  });

  it('starts disabled in NO with an empty queue', () => {
    expect(initialSide).toEqual({ state: 'NO', queue: 'EMPTY' });
    expect(isEnabled(initialSide)).toBe(false);
  });
});
