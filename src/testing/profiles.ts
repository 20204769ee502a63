import type { NegotiationVerb } from '../codec/events.js';
import { policyOf, refuseAll, type NegotiationPolicy } from '../negotiation/policy.js';
import { TelnetOption } from '../protocol/options.js';

/**
 * How a scripted peer negotiates: the requests it sends as soon as the connection starts (`offers`, in order)
 * and which of the connection's requests it agrees to (`policy`: `local` for DO, `remote` for WILL). Its answers
 * follow RFC 1143 (the library's Q method), so it never answers a confirmation and cannot loop.
 *
 * @example
 * ```ts
 * import { TelnetOption } from 'rxtelnet';
 * import { peerProfile, type PeerProfile } from 'rxtelnet/testing';
 * const echoServer: PeerProfile = peerProfile({ name: 'echo server', offers: [['WILL', TelnetOption.ECHO]] });
 * ```
 */
export interface PeerProfile {
  readonly name: string;
  readonly offers: readonly (readonly [NegotiationVerb, number])[];
  readonly policy: NegotiationPolicy;
}

const isPolicy = (
  agree: NegotiationPolicy | { readonly local?: Iterable<number>; readonly remote?: Iterable<number> },
): agree is NegotiationPolicy => typeof agree.local === 'function';

/**
 * A profile from its offers and the options it agrees to: `agree` is a policy, or the lists of options it
 * performs (`local`, on the connection's DO) and lets the connection perform (`remote`, on WILL). Default:
 * no offers, and it agrees to nothing.
 *
 * @example
 * ```ts
 * import { TelnetOption } from 'rxtelnet';
 * import { peerProfile } from 'rxtelnet/testing';
 * const router = peerProfile({
 *   name: 'router',
 *   offers: [['WILL', TelnetOption.ECHO], ['WILL', TelnetOption.SGA]],
 *   agree: { remote: [TelnetOption.NAWS] },
 * });
 * ```
 */
export const peerProfile = (spec: {
  readonly name: string;
  readonly offers?: readonly (readonly [NegotiationVerb, number])[];
  readonly agree?: NegotiationPolicy | { readonly local?: Iterable<number>; readonly remote?: Iterable<number> };
}): PeerProfile => {
  const agree = spec.agree;
  const policy = agree === undefined ? refuseAll : isPolicy(agree) ? agree : policyOf(agree);
  return { name: spec.name, offers: spec.offers ?? [], policy };
};

const always = (): boolean => true;

/**
 * A peer that offers nothing and agrees to every request, for either side, as RFC 1143 asks.
 *
 * @example
 * ```ts
 * import { compliantPeer, scriptedPeer } from 'rxtelnet/testing';
 * const peer = scriptedPeer([], { answers: compliantPeer });
 * ```
 */
export const compliantPeer: PeerProfile = {
  name: 'compliant peer',
  offers: [],
  policy: { local: always, remote: always },
};

/**
 * A peer that offers nothing and refuses every request (DO answered with WONT, WILL with DONT).
 *
 * @example
 * ```ts
 * import { refusingPeer, scriptedPeer } from 'rxtelnet/testing';
 * const peer = scriptedPeer([], { answers: refusingPeer });
 * ```
 */
export const refusingPeer: PeerProfile = { name: 'refusing peer', offers: [], policy: refuseAll };

const { AUTHENTICATION, ENCRYPT, TTYPE, TSPEED, XDISPLOC, NEW_ENVIRON, OLD_ENVIRON, ECHO, SGA, NAWS, STATUS } =
  TelnetOption;

/**
 * GNU inetutils telnetd as the interop suite recorded it (`spec/fixtures/transcripts/inetutils-telnetd-*.json`):
 * it opens with `WILL AUTHENTICATION`, `WILL ENCRYPT`, `DO TTYPE`, `DO TSPEED`, `DO XDISPLOC`, `DO NEW-ENVIRON`,
 * `DO OLD-ENVIRON`, and agrees to ECHO, SGA and STATUS on its side and to the terminal options on the client's.
 *
 * @example
 * ```ts
 * import { inetutilsTelnetd, scriptedPeer } from 'rxtelnet/testing';
 * const peer = scriptedPeer([], { answers: inetutilsTelnetd });
 * ```
 */
export const inetutilsTelnetd: PeerProfile = peerProfile({
  name: 'inetutils telnetd',
  offers: [
    ['WILL', AUTHENTICATION],
    ['WILL', ENCRYPT],
    ['DO', TTYPE],
    ['DO', TSPEED],
    ['DO', XDISPLOC],
    ['DO', NEW_ENVIRON],
    ['DO', OLD_ENVIRON],
  ],
  agree: { local: [ECHO, SGA, STATUS], remote: [TTYPE, TSPEED, XDISPLOC, NEW_ENVIRON, NAWS, SGA] },
});

/**
 * A typical MUD server: it offers `WILL GMCP`, `WILL MSDP`, `WILL MCCP2`, `WILL EOR`, `WILL MSSP` and asks
 * `DO TTYPE`, `DO NAWS`, `DO CHARSET`. It never compresses by itself: after `IAC SB MCCP2 IAC SE` a script
 * sends the compressed bytes with `send`.
 *
 * @example
 * ```ts
 * import { mudServer, scriptedPeer } from 'rxtelnet/testing';
 * const peer = scriptedPeer([], { answers: mudServer });
 * ```
 */
export const mudServer: PeerProfile = peerProfile({
  name: 'MUD server',
  offers: [
    ['WILL', TelnetOption.GMCP],
    ['WILL', TelnetOption.MSDP],
    ['WILL', TelnetOption.MCCP2],
    ['WILL', TelnetOption.EOR],
    ['WILL', TelnetOption.MSSP],
    ['DO', TTYPE],
    ['DO', NAWS],
    ['DO', TelnetOption.CHARSET],
  ],
  agree: {
    local: [TelnetOption.GMCP, TelnetOption.MSDP, TelnetOption.MCCP2, TelnetOption.EOR, TelnetOption.MSSP, ECHO, SGA],
    remote: [TTYPE, NAWS, TelnetOption.CHARSET],
  },
});
