/**
 * The subscribers of a connection's hot streams, kept without a Subject. A server holds thousands of idle
 * connections, each with a few streams subscribed for its whole life: a Subject subscription and a `filter` per
 * subscriber cost some 600 bytes each, a plain entry in an array a few. The arrays are replaced, never changed,
 * so that an emission walks the array as it was when it began (as a Subject does) and has no spare capacity.
 *
 * @internal Not part of the package's public exports.
 */

/** Where a hot stream's values go: a Subscriber, or a plain listener of the library's own. */
export interface Sink<T> {
  readonly next: (value: T) => void;
  readonly complete: () => void;
}

/** An empty list, shared. */
export const NO_SINKS: readonly never[] = [];

/** `sinks` with `sink` added at the end (a new array of exactly that length: `concat` makes no spare room). */
export const withSink = <S>(sinks: readonly S[], sink: S): readonly S[] => sinks.concat([sink]);

/** `sinks` without `sink` (the same array when it is not there). */
export const withoutSink = <S>(sinks: readonly S[], sink: S): readonly S[] => {
  const index = sinks.indexOf(sink);
  if (index < 0) return sinks;
  if (sinks.length === 1) return NO_SINKS;
  return sinks.slice(0, index).concat(sinks.slice(index + 1));
};
