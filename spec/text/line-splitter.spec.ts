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
  it('ends lines at LF, CR LF, CR NUL and a lone CR, removing them', () => {
    expect(run(['a\nb\r\nc\r\0d\re'])).toEqual({ lines: ['a', 'b', 'c', 'd'], rest: 'e' });
  });

  it('keeps empty lines', () => {
    expect(run(['\n\r\n\r\0\r\r\n'])).toEqual({ lines: ['', '', '', '', ''], rest: '' });
  });

  it('ends the line at a CR that ends a chunk, and gives the CR an LF or NUL that starts the next', () => {
    const first = splitLines(emptyLineSplitter, 'look\r', 1024);
    expect(first.lines).toEqual(['look']);
    expect(first.splitter).toEqual({ partial: '', afterCR: true });
    expect(splitLines(first.splitter, '', 1024)).toEqual({ splitter: first.splitter, lines: [] });
    expect(run(['a\r', '\nb'])).toEqual({ lines: ['a'], rest: 'b' });
    expect(run(['a\r', '\0'])).toEqual({ lines: ['a'], rest: '' });
    expect(run(['a\r', 'b\n'])).toEqual({ lines: ['a', 'b'], rest: '' });
    expect(run(['a\r', '\r', '\n'])).toEqual({ lines: ['a', ''], rest: '' });
    expect(run(['a\r', '\n', '\n'])).toEqual({ lines: ['a', ''], rest: '' });
    expect(unterminatedText(splitLines(emptyLineSplitter, 'Name: ', 1024).splitter)).toBe('Name: ');
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
