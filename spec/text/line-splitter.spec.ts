import { describe, expect, it } from 'vitest';
import { emptyLineSplitter, splitLines, unterminatedText, type LineSplitter } from '../../src/text/line-splitter.js';

/** Feeds the chunks in order; returns every line and the text left unterminated. */
const run = (chunks: readonly string[], maxLineLength = 1024): { lines: string[]; rest: string } => {
  let splitter: LineSplitter = emptyLineSplitter;
  const lines: string[] = [];
  for (const chunk of chunks) {
    const split = splitLines(splitter, chunk, maxLineLength);
    splitter = split.splitter;
    lines.push(...split.lines);
  }
  return { lines, rest: unterminatedText(splitter) };
};

describe('splitLines', () => {
  it('ends lines at LF, CR LF and CR NUL, removing them', () => {
    expect(run(['a\nb\r\nc\r\0d'])).toEqual({ lines: ['a', 'b', 'c'], rest: 'd' });
  });

  it('keeps empty lines', () => {
    expect(run(['\n\r\n\r\0'])).toEqual({ lines: ['', '', ''], rest: '' });
  });

  it('keeps a CR followed by anything else as text', () => {
    expect(run(['50%\r75%\r\r\n'])).toEqual({ lines: ['50%\r75%\r'], rest: '' });
  });

  it('decides about a CR at the end of a chunk with the next chunk', () => {
    const first = splitLines(emptyLineSplitter, 'a\r', 1024);
    expect(first.lines).toEqual([]);
    expect(first.splitter).toEqual({ partial: 'a', pendingCR: true });
    expect(unterminatedText(first.splitter)).toBe('a\r');
    expect(splitLines(first.splitter, '', 1024)).toEqual({ splitter: first.splitter, lines: [] });
    expect(run(['a\r', '\nb'])).toEqual({ lines: ['a'], rest: 'b' });
    expect(run(['a\r', '\0'])).toEqual({ lines: ['a'], rest: '' });
    expect(run(['a\r', 'b\n'])).toEqual({ lines: ['a\rb'], rest: '' });
    expect(run(['a\r', '\r', '\n'])).toEqual({ lines: ['a\r'], rest: '' });
  });

  it('keeps a lone NUL as text', () => {
    expect(run(['a\0b\n'])).toEqual({ lines: ['a\0b'], rest: '' });
  });

  it('cuts a long line into pieces of the limit', () => {
    expect(run(['abcdefgh\n'], 3)).toEqual({ lines: ['abc', 'def', 'gh'], rest: '' });
    expect(run(['abcdef\n'], 3)).toEqual({ lines: ['abc', 'def'], rest: '' });
  });

  it('never holds more than the limit of an unfinished line', () => {
    const split = splitLines(emptyLineSplitter, 'abcdefg', 3);
    expect(split.lines).toEqual(['abc', 'def']);
    expect(split.splitter.partial).toBe('g');
    expect(run(['ab', 'c', 'd'], 3)).toEqual({ lines: ['abc'], rest: 'd' });
    expect(run(['abc\r', '\n'], 3)).toEqual({ lines: ['abc'], rest: '' });
  });

  it('does not cut a surrogate pair apart', () => {
    expect(run(['ab😀c\n'], 3)).toEqual({ lines: ['ab', '😀c'], rest: '' });
    expect(run(['😀😀\n'], 1)).toEqual({ lines: ['😀', '😀'], rest: '' });
  });

  it('counts a limit below 1 as 1', () => {
    expect(run(['ab\n'], 0)).toEqual({ lines: ['a', 'b'], rest: '' });
    expect(run(['ab\n'], Number.NaN)).toEqual({ lines: ['a', 'b'], rest: '' });
  });

  it('has no limit with Infinity', () => {
    expect(run(['x'.repeat(100_000), '\n'], Infinity).lines[0]).toHaveLength(100_000);
  });
});
