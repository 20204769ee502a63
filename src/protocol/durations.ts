/**
 * How every timeout option of rxtelnet is read: one rule, checked when the option is given.
 *
 * @module
 */

/**
 * The milliseconds of a timeout option: a number above 0, or `Infinity` for no timeout at all (no timer is set);
 * 0, a negative number or NaN is a `RangeError` that names the option. `undefined` gives `fallback`.
 *
 * @internal Shared by the connection, the transports, expect, the operators and the testing kit.
 */
export const timeoutOption = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new RangeError(`${name} must be a number of milliseconds above 0, or Infinity, got ${value}`);
  return value;
};
