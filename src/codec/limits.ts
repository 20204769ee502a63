/**
 * The largest subnegotiation payload (after `IAC IAC` unescaping) the decoder assembles by default, in bytes.
 * A longer payload is reported with a `SubnegotiationTooLong` warning and dropped up to its `IAC SE`.
 *
 * @example
 * ```ts
 * import { createDecoder, DEFAULT_MAX_SUBNEGOTIATION } from 'rxtelnet';
 * const decoder = createDecoder({ maxSubnegotiation: DEFAULT_MAX_SUBNEGOTIATION * 4 });
 * ```
 */
export const DEFAULT_MAX_SUBNEGOTIATION = 65_536;
