/**
 * Which of the peer's requests we accept. `local(option)`: may we perform the option when the peer
 * sends DO. `remote(option)`: may the peer perform the option when it sends WILL.
 *
 * Only the peer's requests consult the policy: options we ask for ourselves are negotiated whatever
 * it says, and the peer may always disable an option (RFC 854 requires accepting WONT/DONT).
 *
 * @example
 * ```ts
 * import { TelnetOption, type NegotiationPolicy } from 'rxtelnet';
 * const mudClient: NegotiationPolicy = {
 *   local: (option) => option === TelnetOption.NAWS || option === TelnetOption.TTYPE,
 *   remote: (option) => option === TelnetOption.GMCP || option === TelnetOption.MCCP2,
 * };
 * ```
 */
export interface NegotiationPolicy {
  readonly local: (option: number) => boolean;
  readonly remote: (option: number) => boolean;
}

const never = (): boolean => false;

/**
 * The policy that refuses every request of the peer (answers DO with WONT and WILL with DONT).
 *
 * @example
 * ```ts
 * import { refuseAll, TelnetOption } from 'rxtelnet';
 * refuseAll.remote(TelnetOption.ECHO); // false
 * ```
 */
export const refuseAll: NegotiationPolicy = { local: never, remote: never };

/**
 * A policy from the lists of options we agree to perform (`local`) and let the peer perform
 * (`remote`); every other request is refused. The lists are copied.
 *
 * @example
 * ```ts
 * import { policyOf, TelnetOption } from 'rxtelnet';
 * const policy = policyOf({ local: [TelnetOption.NAWS], remote: [TelnetOption.ECHO, TelnetOption.SGA] });
 * policy.local(TelnetOption.NAWS); // true
 * policy.remote(TelnetOption.NAWS); // false
 * ```
 */
export const policyOf = (spec: {
  readonly local?: Iterable<number>;
  readonly remote?: Iterable<number>;
}): NegotiationPolicy => {
  const local = new Set(spec.local);
  const remote = new Set(spec.remote);
  return { local: (option) => local.has(option), remote: (option) => remote.has(option) };
};
