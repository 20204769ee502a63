/**
 * The RFC 1143 "Q method" of Telnet option negotiation, as a pure reducer over one option on one side.
 *
 * Each option has two independent sides: `local` (we perform it: we send WILL/WONT and the peer
 * answers DO/DONT) and `remote` (the peer performs it: we send DO/DONT and it answers WILL/WONT).
 * Each side holds a state (`NO`, `YES`, `WANTNO`, `WANTYES`) and a one-deep queue bit (`EMPTY`,
 * `OPPOSITE`) that is meaningful only while a request is in flight (`WANTNO`, `WANTYES`).
 *
 * Below, "enable"/"disable" stand for the verbs of the side: we send DO/DONT (remote) or WILL/WONT
 * (local); the peer sends WILL/WONT (remote) or DO/DONT (local). `accept` is the policy's answer.
 *
 * Receiving the peer's enable (RFC 1143 section 7, "Upon receipt of WILL/DO"):
 * ```text
 * NO                  accept: YES, send enable, Changed(on); refuse: send disable
 * YES                 ignore (never answer a confirmation: no loops)
 * WANTNO   EMPTY      Violation (disable answered by enable); nothing else (a stale repeat, see below)
 * WANTNO   OPPOSITE   Violation (disable answered by enable); nothing else (a stale repeat, see below)
 * WANTYES  EMPTY      YES, Changed(on), enable Agreed
 * WANTYES  OPPOSITE   WANTNO, Changed(on), enable Agreed, send disable (the queued request goes out)
 * ```
 * Receiving the peer's disable ("Upon receipt of WONT/DONT"):
 * ```text
 * NO                  ignore
 * YES                 NO, send disable, Changed(off)
 * WANTNO   EMPTY      NO, Changed(off), disable Agreed
 * WANTNO   OPPOSITE   WANTYES, Changed(off), disable Agreed, send enable (the queued request goes out)
 * WANTYES  EMPTY      NO, enable Refused
 * WANTYES  OPPOSITE   NO, enable Refused, queued disable Agreed ("refused into" the wanted state)
 * ```
 * Asking ("If we decide to ask him to enable/disable"), with requests queued one deep:
 * ```text
 *                     enable                        disable
 * NO                  WANTYES, send enable          Rejected AlreadyDisabled
 * YES                 Rejected AlreadyEnabled       WANTNO, send disable
 * WANTNO   EMPTY      WANTNO OPPOSITE (queued)      Rejected AlreadyNegotiating
 * WANTNO   OPPOSITE   Rejected AlreadyNegotiating   Rejected AlreadyNegotiating
 * WANTYES  EMPTY      Rejected AlreadyNegotiating   WANTYES OPPOSITE (queued)
 * WANTYES  OPPOSITE   Rejected AlreadyNegotiating   Rejected AlreadyNegotiating
 * ```
 * Taking a request back, and asking again for the answer it waits for (neither is in RFC 1143's tables;
 * both keep its guarantees, see below):
 * ```text
 *                     Withdraw                      Resend
 * NO, YES             nothing                       nothing (no request in flight)
 * WANTNO   EMPTY      nothing (it is on the wire)   send disable again
 * WANTNO   OPPOSITE   WANTNO EMPTY (queue dropped)  send disable again
 * WANTYES  EMPTY      nothing (it is on the wire)   send enable again
 * WANTYES  OPPOSITE   WANTYES EMPTY (queue dropped) send enable again
 * ```
 * `Withdraw` cancels the queued opposite request, which was never sent, as RFC 1143 section 7 does when the
 * user changes its mind; a request already on the wire cannot be taken back, so the side stays waiting for
 * its answer. `Resend` repeats the request in flight (its caller bounds how often), for when the answer
 * may have been lost or the peer was slow. The state does not change, so the answer, whenever it comes, is
 * applied once and a second answer confirms the state and is ignored; a compliant peer ignores the repeat
 * the same way (it confirms its state), and a peer that answers every request answers once more, which we
 * ignore. Neither side can be driven into a loop.
 *
 * Where RFC 1143 takes the peer's enable in `WANTNO` as the answer to our disable (`NO`; `YES` with the queue),
 * this module ignores it, waiting for the real answer: over an ordered stream a compliant peer sends no enable
 * after reading our disable, so the enable is a copy it sent before (a `Resend` of its own request, which it
 * answered meanwhile). Taking it as the answer put the side in `NO`, where the next copy read as a new request
 * and turned the option back on; with our disable and that acceptance in flight together, two peers could then
 * flip the option for ever (the two-peer property found it). A peer that does answer a disable with an enable
 * leaves the request waiting, and the connection's negotiation timeout settles it.
 *
 * Where RFC 1143 lets a new Ask cancel the queued opposite one (`WANTYES OPPOSITE` + enable,
 * `WANTNO OPPOSITE` + disable), this module rejects it instead, so that every request that is not
 * rejected settles exactly once, in the order it was made. A disable settles `Refused` only when the
 * peer breaks the protocol and the option stays on; otherwise a request settles `Agreed` when the
 * side reaches the requested state and `Refused` when it cannot.
 *
 * A `Received` verb that does not belong to the side (say WILL given to the `local` side) is a
 * caller error: it yields a `Violation` and changes nothing. Nothing here throws or mutates.
 *
 * Effects come in wire and semantic order: a reply to the peer comes first, then the change it
 * causes; a queued request goes out last, after the settlement of the request it waited for.
 *
 * @module
 */
import type { NegotiationVerb } from '../codec/events.js';

/**
 * The negotiation state of one side of one option (RFC 1143).
 *
 * @example
 * ```ts
 * import type { QState } from 'rxtelnet';
 * const pending = (state: QState): boolean => state === 'WANTNO' || state === 'WANTYES';
 * ```
 */
export type QState = 'NO' | 'YES' | 'WANTNO' | 'WANTYES';

/**
 * The one-deep request queue of RFC 1143: `OPPOSITE` means that the user asked for the opposite of
 * the request in flight, to be sent once it is answered.
 *
 * @example
 * ```ts
 * import type { QQueue } from 'rxtelnet';
 * const queued: QQueue = 'OPPOSITE';
 * ```
 */
export type QQueue = 'EMPTY' | 'OPPOSITE';

/**
 * The state and queue bit of one side of one option.
 *
 * @example
 * ```ts
 * import type { QSide } from 'rxtelnet';
 * const asking: QSide = { state: 'WANTYES', queue: 'EMPTY' };
 * ```
 */
export interface QSide {
  readonly state: QState;
  readonly queue: QQueue;
}

const sideOfState = (state: QState): Readonly<Record<QQueue, QSide>> =>
  Object.freeze({
    EMPTY: Object.freeze({ state, queue: 'EMPTY' as const }),
    OPPOSITE: Object.freeze({ state, queue: 'OPPOSITE' as const }),
  });

const sides: Readonly<Record<QState, Readonly<Record<QQueue, QSide>>>> = {
  NO: sideOfState('NO'),
  YES: sideOfState('YES'),
  WANTNO: sideOfState('WANTNO'),
  WANTYES: sideOfState('WANTYES'),
};

const at = (state: QState, queue: QQueue = 'EMPTY'): QSide => sides[state][queue];

/**
 * Where every side starts: `NO` with an empty queue.
 *
 * @example
 * ```ts
 * import { initialSide, isEnabled } from 'rxtelnet';
 * isEnabled(initialSide); // false
 * ```
 */
export const initialSide: QSide = at('NO');

/**
 * Which end performs an option. `'local'`: we perform it (we send WILL/WONT, the peer sends
 * DO/DONT). `'remote'`: the peer performs it (we send DO/DONT, it sends WILL/WONT).
 *
 * @example
 * ```ts
 * import type { Side } from 'rxtelnet';
 * const sides: readonly Side[] = ['local', 'remote'];
 * ```
 */
export type Side = 'local' | 'remote';

/**
 * What drives one side of one option: a verb received from the peer (WILL/WONT concern the
 * `remote` side, DO/DONT the `local` side), the user asking to enable or disable the side, the user taking
 * back the queued request (`Withdraw`), or repeating the request in flight (`Resend`).
 *
 * @example
 * ```ts
 * import type { QInput } from 'rxtelnet';
 * const received: QInput = { _tag: 'Received', verb: 'WILL' };
 * const ask: QInput = { _tag: 'Ask', enable: true };
 * const again: QInput = { _tag: 'Resend' };
 * ```
 */
export type QInput =
  | { readonly _tag: 'Received'; readonly verb: NegotiationVerb }
  | { readonly _tag: 'Ask'; readonly enable: boolean }
  | { readonly _tag: 'Withdraw' }
  | { readonly _tag: 'Resend' };

/**
 * What a transition asks its caller to do or to report.
 *
 * - `Send`: write `IAC verb option`.
 * - `Changed`: the option's effective state on this side (see {@link isEnabled}) flipped.
 * - `Settled`: the oldest pending user request, the one asking `enable`, resolved.
 * - `Rejected`: the `Ask` just made is refused at once; nothing was sent and it never settles.
 * - `Violation`: the peer broke the protocol (a warning; the state was still updated per RFC 1143),
 *   or the caller gave a side a verb of the other side (nothing changed).
 *
 * @example
 * ```ts
 * import type { QEffect } from 'rxtelnet';
 * const describe = (effect: QEffect): string => {
 *   switch (effect._tag) {
 *     case 'Send': return `send ${effect.verb}`;
 *     case 'Changed': return effect.enabled ? 'on' : 'off';
 *     case 'Settled': return `${effect.enable ? 'enable' : 'disable'} ${effect.outcome}`;
 *     case 'Rejected': return effect.reason;
 *     case 'Violation': return effect.detail;
 *   }
 * };
 * ```
 */
export type QEffect =
  | { readonly _tag: 'Send'; readonly verb: NegotiationVerb }
  | { readonly _tag: 'Changed'; readonly enabled: boolean }
  | { readonly _tag: 'Settled'; readonly enable: boolean; readonly outcome: 'Agreed' | 'Refused' }
  | {
      readonly _tag: 'Rejected';
      readonly enable: boolean;
      readonly reason: 'AlreadyEnabled' | 'AlreadyDisabled' | 'AlreadyNegotiating';
    }
  | { readonly _tag: 'Violation'; readonly detail: string };

/**
 * The result of one transition: the new side and the effects, in the order they must happen.
 *
 * @example
 * ```ts
 * import { stepQ, initialSide, type QStep } from 'rxtelnet';
 * const step: QStep = stepQ('local', initialSide, { _tag: 'Received', verb: 'DO' }, true);
 * step.side.state; // 'YES'
 * ```
 */
export interface QStep {
  readonly side: QSide;
  readonly effects: readonly QEffect[];
}

/** The verbs one side sends (`enable`, `disable`) and receives (`peerEnable`, `peerDisable`). */
interface Verbs {
  readonly enable: NegotiationVerb;
  readonly disable: NegotiationVerb;
  readonly peerEnable: NegotiationVerb;
  readonly peerDisable: NegotiationVerb;
}

const verbsOf: Readonly<Record<Side, Verbs>> = {
  local: { enable: 'WILL', disable: 'WONT', peerEnable: 'DO', peerDisable: 'DONT' },
  remote: { enable: 'DO', disable: 'DONT', peerEnable: 'WILL', peerDisable: 'WONT' },
};

const step = (side: QSide, ...effects: readonly QEffect[]): QStep => ({ side, effects });
const send = (verb: NegotiationVerb): QEffect => ({ _tag: 'Send', verb });
const changed = (enabled: boolean): QEffect => ({ _tag: 'Changed', enabled });
const agreed = (enable: boolean): QEffect => ({ _tag: 'Settled', enable, outcome: 'Agreed' });
const refused = (enable: boolean): QEffect => ({ _tag: 'Settled', enable, outcome: 'Refused' });
const violation = (detail: string): QEffect => ({ _tag: 'Violation', detail });
const rejected = (
  current: QSide,
  enable: boolean,
  reason: 'AlreadyEnabled' | 'AlreadyDisabled' | 'AlreadyNegotiating',
): QStep => step(current, { _tag: 'Rejected', enable, reason });

const receivedEnable = (verbs: Verbs, current: QSide, accept: boolean): QStep => {
  const error = `${verbs.disable} answered by ${verbs.peerEnable}`;
  switch (current.state) {
    case 'NO':
      return accept ? step(at('YES'), send(verbs.enable), changed(true)) : step(current, send(verbs.disable));
    case 'YES':
      return step(current);
    case 'WANTNO':
      return step(current, violation(error));
    case 'WANTYES':
      return current.queue === 'EMPTY'
        ? step(at('YES'), changed(true), agreed(true))
        : step(at('WANTNO'), changed(true), agreed(true), send(verbs.disable));
  }
};

const receivedDisable = (verbs: Verbs, current: QSide): QStep => {
  switch (current.state) {
    case 'NO':
      return step(current);
    case 'YES':
      return step(at('NO'), send(verbs.disable), changed(false));
    case 'WANTNO':
      return current.queue === 'EMPTY'
        ? step(at('NO'), changed(false), agreed(false))
        : step(at('WANTYES'), changed(false), agreed(false), send(verbs.enable));
    case 'WANTYES':
      return current.queue === 'EMPTY' ? step(at('NO'), refused(true)) : step(at('NO'), refused(true), agreed(false));
  }
};

const askEnable = (verbs: Verbs, current: QSide): QStep => {
  switch (current.state) {
    case 'NO':
      return step(at('WANTYES'), send(verbs.enable));
    case 'YES':
      return rejected(current, true, 'AlreadyEnabled');
    case 'WANTNO':
      return current.queue === 'EMPTY' ? step(at('WANTNO', 'OPPOSITE')) : rejected(current, true, 'AlreadyNegotiating');
    case 'WANTYES':
      return rejected(current, true, 'AlreadyNegotiating');
  }
};

const withdraw = (current: QSide): QStep => (current.queue === 'OPPOSITE' ? step(at(current.state)) : step(current));

const resend = (verbs: Verbs, current: QSide): QStep => {
  switch (current.state) {
    case 'WANTYES':
      return step(current, send(verbs.enable));
    case 'WANTNO':
      return step(current, send(verbs.disable));
    case 'NO':
    case 'YES':
      return step(current);
  }
};

const askDisable = (verbs: Verbs, current: QSide): QStep => {
  switch (current.state) {
    case 'NO':
      return rejected(current, false, 'AlreadyDisabled');
    case 'YES':
      return step(at('WANTNO'), send(verbs.disable));
    case 'WANTNO':
      return rejected(current, false, 'AlreadyNegotiating');
    case 'WANTYES':
      return current.queue === 'EMPTY'
        ? step(at('WANTYES', 'OPPOSITE'))
        : rejected(current, false, 'AlreadyNegotiating');
  }
};

/**
 * The side a received verb concerns: WILL/WONT the `remote` side, DO/DONT the `local` side.
 *
 * @example
 * ```ts
 * import { sideOf } from 'rxtelnet';
 * sideOf('WILL'); // 'remote'
 * sideOf('DO'); // 'local'
 * ```
 */
export const sideOf = (verb: NegotiationVerb): Side => (verb === 'WILL' || verb === 'WONT' ? 'remote' : 'local');

/**
 * One Q method transition for one option on one side (see the module documentation for the
 * full tables). `accept` is the policy's answer, consulted only when the peer asks to enable a
 * side that is `NO`; `sideName` selects the verbs sent (local: WILL/WONT, remote: DO/DONT).
 * Pure: the input side is never mutated and nothing throws.
 *
 * @example
 * ```ts
 * import { stepQ, initialSide } from 'rxtelnet';
 * const asked = stepQ('remote', initialSide, { _tag: 'Ask', enable: true }, false);
 * // asked.side: WANTYES/EMPTY, asked.effects: [{ _tag: 'Send', verb: 'DO' }]
 * const done = stepQ('remote', asked.side, { _tag: 'Received', verb: 'WILL' }, false);
 * // done.side: YES/EMPTY, done.effects: Changed(true), then Settled(enable, Agreed)
 * ```
 */
export const stepQ = (sideName: Side, current: QSide, input: QInput, accept: boolean): QStep => {
  const verbs = verbsOf[sideName];
  switch (input._tag) {
    case 'Ask':
      return input.enable ? askEnable(verbs, current) : askDisable(verbs, current);
    case 'Withdraw':
      return withdraw(current);
    case 'Resend':
      return resend(verbs, current);
    case 'Received':
      break;
  }
  if (sideOf(input.verb) !== sideName) {
    return step(current, violation(`${input.verb} does not concern the ${sideName} side`));
  }
  return input.verb === verbs.peerEnable ? receivedEnable(verbs, current, accept) : receivedDisable(verbs, current);
};

/**
 * The effective state of a side: on in `YES`, and in `WANTNO` until the peer confirms the disable.
 *
 * @example
 * ```ts
 * import { isEnabled } from 'rxtelnet';
 * isEnabled({ state: 'WANTNO', queue: 'EMPTY' }); // true
 * isEnabled({ state: 'WANTYES', queue: 'EMPTY' }); // false
 * ```
 */
export const isEnabled = (side: QSide): boolean => side.state === 'YES' || side.state === 'WANTNO';
