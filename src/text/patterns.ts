/**
 * Finding the first of several patterns in a text, for expect-style dialogues.
 */

/**
 * What to wait for in received text: a literal string, or a regular expression (its `g` and `y` flags are
 * ignored: the search always scans from the given position).
 *
 * @example
 * ```ts
 * import type { TextPattern } from 'rxtelnet';
 * const prompts: readonly TextPattern[] = ['login: ', /[$#>] ?$/];
 * ```
 */
export type TextPattern = string | RegExp;

/**
 * Where a pattern matched: which alternative (`index`), the matched text and its capture groups, and its
 * position in the searched text (`start` inclusive, `end` exclusive).
 *
 * @example
 * ```ts
 * import { findFirstMatch, type PatternMatch } from 'rxtelnet';
 * const found: PatternMatch | undefined = findFirstMatch('user: ', ['login: ', /user(name)?: $/]);
 * // { index: 1, match: 'user: ', groups: [undefined], start: 0, end: 6 }
 * ```
 */
export interface PatternMatch {
  readonly index: number;
  readonly match: string;
  readonly groups: readonly (string | undefined)[];
  readonly start: number;
  readonly end: number;
}

/** Each RegExp as a global one (so `lastIndex` sets where the search starts), made once per pattern. */
const scanners = new WeakMap<RegExp, RegExp>();

const scannerOf = (pattern: RegExp): RegExp => {
  let scanner = scanners.get(pattern);
  if (scanner === undefined) {
    scanner = new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, '')}g`);
    scanners.set(pattern, scanner);
  }
  return scanner;
};

const matchOne = (text: string, pattern: TextPattern, index: number, from: number): PatternMatch | undefined => {
  if (typeof pattern === 'string') {
    const start = text.indexOf(pattern, from);
    return start === -1 ? undefined : { index, match: pattern, groups: [], start, end: start + pattern.length };
  }
  const scanner = scannerOf(pattern);
  scanner.lastIndex = from;
  const found = scanner.exec(text);
  if (found === null) return undefined;
  const [match, ...groups] = found;
  return { index, match, groups, start: found.index, end: found.index + match.length };
};

/**
 * The pattern that matches earliest in `text` at or after `from` (on a tie, the first in `patterns`), or
 * `undefined` when none does. Pure: never throws for any text.
 *
 * @example
 * ```ts
 * import { findFirstMatch } from 'rxtelnet';
 * findFirstMatch('Password: ', ['login: ', 'Password: '])?.index; // 1
 * ```
 */
export const findFirstMatch = (text: string, patterns: readonly TextPattern[], from = 0): PatternMatch | undefined => {
  let first: PatternMatch | undefined;
  patterns.forEach((pattern, index) => {
    const found = matchOne(text, pattern, index, from);
    if (found !== undefined && (first === undefined || found.start < first.start)) first = found;
  });
  return first;
};
