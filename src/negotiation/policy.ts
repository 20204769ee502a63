/**
 * Which of the peer's requests we accept. `local(option)`: may we perform the option when the peer
 * sends DO. `remote(option)`: may the peer perform the option when it sends WILL.
 *
 * Only the peer's requests consult the policy: options we ask for ourselves are negotiated whatever
 * it says, and the peer may always disable an option (RFC 854 requires accepting WONT/DONT).
 *
 * @example
 * ```ts
 * import { Option, type NegotiationPolicy } from 'rxtelnet';
 * const mudClient: NegotiationPolicy = {
 *   local: (option) => option === Option.NAWS || option === Option.TTYPE,
 *   remote: (option) => option === Option.GMCP || option === Option.MCCP2,
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
 * import { refuseAll, Option } from 'rxtelnet';
 * refuseAll.remote(Option.ECHO); // false
 * ```
 */
export const refuseAll: NegotiationPolicy = { local: never, remote: never };

/**
 * A policy from the lists of options we agree to perform (`local`) and let the peer perform
 * (`remote`); every other request is refused. The lists are copied.
 *
 * @example
 * ```ts
 * import { policyOf, Option } from 'rxtelnet';
 * const policy = policyOf({ local: [Option.NAWS], remote: [Option.ECHO, Option.SGA] });
 * policy.local(Option.NAWS); // true
 * policy.remote(Option.NAWS); // false
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
