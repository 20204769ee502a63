import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cp437HighCodePoints } from '../../src/text/cp437.js';
import { createTextDecoder } from '../../src/text/decoder.js';
import { encodeString } from '../../src/text/encoder.js';
import { textEncodingNames, type TextEncodingName } from '../../src/text/encodings.js';
import { emptyLineSplitter, splitLines, unterminatedText, type LineSplitter } from '../../src/text/line-splitter.js';

const numRuns = 10_000;

const charOf = (codePoint: number): string => String.fromCharCode(codePoint);
const asciiChar = fc.integer({ min: 0, max: 0x7f }).map(charOf);

/** Strings every character of which the encoding can represent. */
const repertoire: Readonly<Record<TextEncodingName, fc.Arbitrary<string>>> = {
  'utf-8': fc.string({ unit: 'binary', maxLength: 40 }),
  latin1: fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map(charOf), maxLength: 40 }),
  cp437: fc.string({ unit: fc.oneof(asciiChar, fc.constantFrom(...cp437HighCodePoints.map(charOf))), maxLength: 40 }),
  ascii: fc.string({ unit: asciiChar, maxLength: 40 }),
};

const cp437High = new Set(cp437HighCodePoints);

/** Whether the encoding can represent a code point. */
const represents: Readonly<Record<TextEncodingName, (codePoint: number) => boolean>> = {
  'utf-8': () => true,
  latin1: (codePoint) => codePoint <= 0xff,
  cp437: (codePoint) => codePoint < 0x80 || cp437High.has(codePoint),
  ascii: (codePoint) => codePoint < 0x80,
};

/** Cuts `whole` at the given positions (taken modulo its length + 1, in any order). */
const cutsOf = <T extends { readonly length: number; slice(start: number, end?: number): T }>(
  whole: T,
  positions: readonly number[],
): T[] => {
  const cuts = [...new Set(positions.map((position) => position % (whole.length + 1)))].sort((a, b) => a - b);
  return [0, ...cuts].map((start, i) => whole.slice(start, cuts[i] ?? whole.length));
};

const decodeAll = (encoding: TextEncodingName, bytes: Uint8Array): string =>
  createTextDecoder(encoding).decode(bytes, false);

const decodeStreaming = (encoding: TextEncodingName, chunks: readonly Uint8Array[]): string => {
  const decoder = createTextDecoder(encoding);
  return chunks.map((chunk) => decoder.decode(chunk, true)).join('') + decoder.decode(new Uint8Array(0), false);
};

describe.each(textEncodingNames)('%s', (encoding) => {
  it('decodes what it encodes, for text in its repertoire', () => {
    fc.assert(
      fc.property(repertoire[encoding], (text) => {
        expect(decodeAll(encoding, encodeString(text, encoding))).toBe(text);
      }),
      { numRuns },
    );
  });

  it('decodes arbitrary bytes in arbitrary chunks as in one piece', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, positions) => {
        expect(decodeStreaming(encoding, cutsOf(bytes, positions))).toBe(decodeAll(encoding, bytes));
      }),
      { numRuns },
    );
  });

  it('encodes each character outside its repertoire as ?', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const expected = Array.from(text, (char) => (represents[encoding](char.codePointAt(0) ?? 0) ? char : '?'));
        expect(decodeAll(encoding, encodeString(text, encoding))).toBe(expected.join(''));
      }),
      { numRuns },
    );
  });
});

describe('splitLines', () => {
  const lineText = fc
    .array(fc.constantFrom('a', 'b', ' ', '\r', '\n', '\0', 'é', '😀'), { maxLength: 40 })
    .map((chars) => chars.join(''));

  const splitAll = (chunks: readonly string[], limit: number): { lines: string[]; rest: string } => {
    let splitter: LineSplitter = emptyLineSplitter;
    const lines: string[] = [];
    for (const chunk of chunks) {
      const split = splitLines(splitter, chunk, limit);
      splitter = split.splitter;
      lines.push(...split.lines);
    }
    return { lines, rest: unterminatedText(splitter) };
  };

  it('gives the same lines however the text is chunked (between characters)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', ' ', '\r', '\n', '\0', 'é', '😀'), { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 8 }),
        (chars, positions, limit) => {
          const chunks = cutsOf(chars, positions).map((part) => part.join(''));
          expect(splitAll(chunks, limit)).toEqual(splitAll([chars.join('')], limit));
        },
      ),
      { numRuns },
    );
  });

  it('loses no text: the lines and the rest make up the input without its line ends', () => {
    fc.assert(
      fc.property(lineText, (text) => {
        const { lines, rest } = splitAll([text], Infinity);
        const withoutEnds = text.replace(/\r\n|\r\0|\r|\n/g, '\n');
        expect([...lines, rest].join('\n')).toBe(withoutEnds);
      }),
      { numRuns },
    );
  });

  it('keeps lines and the unfinished line within the limit, but for a surrogate pair at limit 1', () => {
    fc.assert(
      fc.property(lineText, fc.integer({ min: 1, max: 8 }), (text, limit) => {
        const { lines, splitter } = splitLines(emptyLineSplitter, text, limit);
        for (const line of [...lines, splitter.partial]) expect(line.length).toBeLessThanOrEqual(Math.max(limit, 2));
      }),
      { numRuns },
    );
  });
});
