import { describe, expect, it } from 'vitest';
import { charsetName, textEncodingNames, toTextEncodingName } from '../../src/text/encodings.js';

describe('toTextEncodingName', () => {
  it.each([
    ['UTF-8', 'utf-8'],
    ['utf8', 'utf-8'],
    ['ISO-8859-1', 'latin1'],
    ['ISO_8859-1:1987', 'latin1'],
    ['iso8859-1', 'latin1'],
    ['Latin1', 'latin1'],
    ['L1', 'latin1'],
    ['CP819', 'latin1'],
    ['US-ASCII', 'ascii'],
    ['ANSI_X3.4-1968', 'ascii'],
    ['ascii', 'ascii'],
    ['CP437', 'cp437'],
    ['IBM437', 'cp437'],
    ['ibm-437', 'cp437'],
    ['437', 'cp437'],
    [' utf-8 ', 'utf-8'],
  ])('maps %j to %s', (name, expected) => {
    expect(toTextEncodingName(name)).toBe(expected);
  });

  it.each(['windows-1252', 'KOI8-R', 'UTF-16', '', 'utf-9'])('does not support %j', (name) => {
    expect(toTextEncodingName(name)).toBeUndefined();
  });
});

describe('charsetName', () => {
  it('gives the IANA names, which map back to the same encoding', () => {
    expect(textEncodingNames.map(charsetName)).toEqual(['UTF-8', 'ISO-8859-1', 'IBM437', 'US-ASCII']);
    for (const encoding of textEncodingNames) expect(toTextEncodingName(charsetName(encoding))).toBe(encoding);
  });
});
