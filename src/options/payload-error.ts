/**
 * The one failure type of the option payload codecs: a subnegotiation payload that does not decode.
 *
 * Every `decode*` function of `src/options/` returns `Either<PayloadError, T>` and never throws, whatever the bytes.
 */
import * as t from 'io-ts';
import { failure } from '#io-ts/PathReporter';

/**
 * A subnegotiation payload that does not decode. `path` is a readable location (an io-ts path such as
 * `body.hp`, or a byte offset such as `offset 3`), `detail` says what is wrong.
 *
 * @example
 * ```ts
 * import { decodeNaws, type PayloadError } from 'rxtelnet';
 * import * as E from 'fp-ts/lib/Either.js';
 * const result = decodeNaws(Uint8Array.of(0, 80, 0));
 * if (E.isLeft(result)) {
 *   const error: PayloadError = result.left;
 *   console.log(`${error.path}: ${error.detail}`); // 'length: expected 4 bytes, got 3'
 * }
 * ```
 */
export interface PayloadError {
  readonly _tag: 'PayloadError';
  /** The option code whose payload failed, see `Option`. */
  readonly option: number;
  readonly path: string;
  readonly detail: string;
}

/**
 * Builds a {@link PayloadError}.
 *
 * @internal
 */
export const payloadError = (option: number, path: string, detail: string): PayloadError => ({
  _tag: 'PayloadError',
  option,
  path,
  detail,
});

/** True for context entries that only name the member of an intersection or union: not part of a readable path. */
const isCompositeMember = (context: t.Context, index: number): boolean => {
  const parent = context[index - 1]?.type;
  return parent instanceof t.IntersectionType || parent instanceof t.UnionType;
};

/**
 * Turns the errors of an io-ts validation into one {@link PayloadError}: the path of the first error below
 * `root` (keys joined with dots, intersection and union member indexes left out) and the PathReporter message.
 *
 * @internal
 */
export const payloadErrorFromValidation = (option: number, root: string, errors: t.Errors): PayloadError => {
  const first = errors[0];
  if (first === undefined) return payloadError(option, root, 'invalid value');
  const keys = first.context
    .filter((entry, index) => index > 0 && entry.key !== '' && !isCompositeMember(first.context, index))
    .map((entry) => entry.key);
  const detail = first.message ?? failure([first])[0] ?? 'invalid value';
  return payloadError(option, [root, ...keys].join('.'), detail);
};
