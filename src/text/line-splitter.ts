/**
 * What {@link splitLines} keeps between chunks: the text of the line not ended yet, and whether the chunk
 * before ended with a CR (which ended a line: an LF or NUL that comes next belongs to it).
 *
 * @internal
 */
export interface LineSplitter {
  readonly partial: string;
  readonly afterCR: boolean;
}

/**
 * The state before any text.
 *
 * @internal
 */
export const emptyLineSplitter: LineSplitter = { partial: '', afterCR: false };

/**
 * The result of {@link splitLines}: the completed lines, in order, and the state for the next chunk.
 *
 * @internal
 */
export interface LineSplit {
  readonly splitter: LineSplitter;
  readonly lines: readonly string[];
}

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

/** The LF of CR LF and the NUL of CR NUL belong to the CR before them. */
const completesCR = (unit: number): boolean => unit === LF || unit === NUL;

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
 * - A line ends at LF, CR LF, CR NUL, or a CR alone; the line end is removed. Telnet clients send Enter as any
 *   of these (inetutils telnet sends CR NUL, busybox CR LF, Twisted's peers a bare CR), and a CR ends the line at
 *   once: a server never waits for the next keystroke to see the command. An LF or NUL right after a CR, in the
 *   same chunk or at the start of the next, belongs to that CR.
 * - A line longer than `maxLineLength` UTF-16 code units is cut into pieces of that length (one less where
 *   the cut would split a surrogate pair; a limit of 1 keeps the pair whole), each a line of its own; the last
 *   piece is the rest. The unfinished line never grows beyond the limit. Values below 1 count as 1.
 *
 * The lines do not depend on how the text is chunked. Never throws.
 *
 * @internal
 */
export const splitLines = (splitter: LineSplitter, text: string, maxLineLength: number): LineSplit => {
  if (text === '') return { splitter, lines: [] };
  const limit = maxLineLength >= 1 ? Math.floor(maxLineLength) : 1;
  const lines: string[] = [];
  let partial = splitter.partial;
  let start = splitter.afterCR && completesCR(text.charCodeAt(0)) ? 1 : 0;
  let afterCR = false;
  const boundary = /[\r\n]/g;
  boundary.lastIndex = start;
  for (let match = boundary.exec(text); match !== null; match = boundary.exec(text)) {
    const at = match.index;
    lines.push(cutOverlong(partial + text.slice(start, at), limit, lines));
    partial = '';
    start = at + 1;
    if (text.charCodeAt(at) === CR) {
      if (at + 1 === text.length) afterCR = true;
      else if (completesCR(text.charCodeAt(at + 1))) start = at + 2;
      boundary.lastIndex = start;
    }
  }
  partial = cutOverlong(partial + text.slice(start), limit, lines);
  return { splitter: { partial, afterCR }, lines };
};

/**
 * The text of the unfinished line; `''` if none.
 *
 * @internal
 */
export const unterminatedText = (splitter: LineSplitter): string => splitter.partial;
