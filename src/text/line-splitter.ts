/**
 * What {@link splitLines} keeps between chunks: the text of the line not ended yet, and whether the chunk
 * before ended with a CR that the next character decides about.
 *
 * @example
 * ```ts
 * import { emptyLineSplitter, splitLines, type LineSplitter } from 'rxtelnet';
 * const after: LineSplitter = splitLines(emptyLineSplitter, 'HP: 10\r', 1024).splitter;
 * // after = { partial: 'HP: 10', pendingCR: true }
 * ```
 */
export interface LineSplitter {
  readonly partial: string;
  readonly pendingCR: boolean;
}

/**
 * The state before any text.
 *
 * @example
 * ```ts
 * import { emptyLineSplitter, splitLines } from 'rxtelnet';
 * splitLines(emptyLineSplitter, 'a\nb', 1024).lines; // ['a']
 * ```
 */
export const emptyLineSplitter: LineSplitter = { partial: '', pendingCR: false };

/**
 * The result of {@link splitLines}: the completed lines, in order, and the state for the next chunk.
 *
 * @example
 * ```ts
 * import { emptyLineSplitter, splitLines, type LineSplit } from 'rxtelnet';
 * const { lines, splitter }: LineSplit = splitLines(emptyLineSplitter, 'one\r\ntwo', 1024);
 * // lines = ['one'], splitter.partial = 'two'
 * ```
 */
export interface LineSplit {
  readonly splitter: LineSplitter;
  readonly lines: readonly string[];
}

const LF = 0x0a;
const NUL = 0x00;

/** After a CR, LF ends the line (CR LF), and so does NUL (CR NUL, the NVT's bare carriage return). */
const endsLineAfterCR = (unit: number): boolean => unit === LF || unit === NUL;

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** Where to cut a text longer than `limit`: at `limit`, moved so as not to split a surrogate pair. */
const cutPoint = (text: string, limit: number): number =>
  isHighSurrogate(text.charCodeAt(limit - 1)) && isLowSurrogate(text.charCodeAt(limit))
    ? limit > 1
      ? limit - 1
      : limit + 1
    : limit;

/**
 * Moves leading pieces of `limit` code units out of `text` into `lines` while it is longer; returns the rest,
 * never empty unless `text` is (with a limit of 1, a lone surrogate pair stays whole and over the limit).
 */
const cutOverlong = (text: string, limit: number, lines: string[]): string => {
  let rest = text;
  while (rest.length > limit) {
    const cut = cutPoint(rest, limit);
    if (cut >= rest.length) break;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  return rest;
};

/**
 * Splits decoded text into lines, carrying the unfinished line over to the next call.
 *
 * - A line ends at LF; a CR right before it is removed. CR NUL (how raw Telnet sends a carriage return
 *   that is not a newline, RFC 854) also ends a line, and the NUL is removed. Any other CR stays in the text.
 *   A CR at the end of a chunk waits for the next chunk to decide.
 * - A line longer than `maxLineLength` UTF-16 code units is cut into pieces of that length (one less where
 *   the cut would split a surrogate pair; a limit of 1 keeps the pair whole), each a line of its own; the last piece is the rest. The unfinished
 *   line never grows beyond the limit. Values below 1 count as 1.
 *
 * The lines do not depend on how the text is chunked. Never throws.
 *
 * @example
 * ```ts
 * import { emptyLineSplitter, splitLines } from 'rxtelnet';
 * const first = splitLines(emptyLineSplitter, 'You see a troll.\r', 1024);
 * const second = splitLines(first.splitter, '\nHP> ', 1024);
 * // first.lines = [], second.lines = ['You see a troll.'], second.splitter.partial = 'HP> '
 * ```
 */
export const splitLines = (splitter: LineSplitter, text: string, maxLineLength: number): LineSplit => {
  const limit = maxLineLength >= 1 ? Math.floor(maxLineLength) : 1;
  const lines: string[] = [];
  const endLine = (line: string): void => {
    lines.push(cutOverlong(line, limit, lines));
  };
  let partial = splitter.partial;
  let start = 0;
  if (splitter.pendingCR) {
    if (text === '') return { splitter, lines };
    if (endsLineAfterCR(text.charCodeAt(0))) {
      endLine(partial);
      partial = '';
      start = 1;
    } else {
      partial += '\r';
    }
  }
  let pendingCR = false;
  const boundary = /[\r\n]/g;
  boundary.lastIndex = start;
  for (let match = boundary.exec(text); match !== null; match = boundary.exec(text)) {
    const at = match.index;
    if (text.charCodeAt(at) === LF) {
      endLine(partial + text.slice(start, at));
      partial = '';
      start = at + 1;
    } else if (at + 1 === text.length) {
      pendingCR = true;
      partial += text.slice(start, at);
      start = text.length;
    } else if (endsLineAfterCR(text.charCodeAt(at + 1))) {
      endLine(partial + text.slice(start, at));
      partial = '';
      start = at + 2;
      boundary.lastIndex = start;
    }
  }
  partial = cutOverlong(partial + text.slice(start), limit, lines);
  return { splitter: { partial, pendingCR }, lines };
};

/**
 * The text of the unfinished line, a CR still waiting for its next character included; `''` if none.
 *
 * @example
 * ```ts
 * import { emptyLineSplitter, splitLines, unterminatedText } from 'rxtelnet';
 * unterminatedText(splitLines(emptyLineSplitter, 'a\nName: ', 1024).splitter); // 'Name: '
 * ```
 */
export const unterminatedText = (splitter: LineSplitter): string =>
  splitter.pendingCR ? `${splitter.partial}\r` : splitter.partial;
