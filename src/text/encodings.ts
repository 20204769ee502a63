/**
 * The text encodings rxtelnet decodes and encodes:
 *
 * - `'utf-8'`: Unicode, the usual choice of MUD servers that negotiate CHARSET.
 * - `'latin1'`: ISO-8859-1, every byte is the code point of the same value.
 * - `'cp437'`: the IBM PC character set of BBS art. Bytes 0x00-0x7F are ASCII (control bytes stay control
 *   characters, as a terminal stream needs), 0x80-0xFF are the CP437 glyphs (accents, box drawing, shades).
 * - `'ascii'`: 7-bit US-ASCII. Bytes 0x80-0xFF decode to U+FFFD.
 *
 * @example
 * ```ts
 * import type { TextEncodingName } from 'rxtelnet';
 * const preferred: TextEncodingName = 'utf-8';
 * ```
 */
export type TextEncodingName = 'utf-8' | 'latin1' | 'cp437' | 'ascii';

/**
 * Every {@link TextEncodingName}, in order of preference (UTF-8 first).
 *
 * @example
 * ```ts
 * import { textEncodingNames, charsetName } from 'rxtelnet';
 * const offer = textEncodingNames.map(charsetName); // ['UTF-8', 'ISO-8859-1', 'IBM437', 'US-ASCII']
 * ```
 */
export const textEncodingNames: readonly TextEncodingName[] = ['utf-8', 'latin1', 'cp437', 'ascii'];

/** IANA character set names and aliases, lower case with punctuation removed (see {@link namesKey}). */
const aliases: ReadonlyMap<string, TextEncodingName> = new Map<string, TextEncodingName>([
  ['utf8', 'utf-8'],
  ['unicode11utf8', 'utf-8'],
  ['csutf8', 'utf-8'],
  ['iso88591', 'latin1'],
  ['iso885911987', 'latin1'],
  ['isoir100', 'latin1'],
  ['latin1', 'latin1'],
  ['l1', 'latin1'],
  ['ibm819', 'latin1'],
  ['cp819', 'latin1'],
  ['csisolatin1', 'latin1'],
  ['ibm437', 'cp437'],
  ['cp437', 'cp437'],
  ['437', 'cp437'],
  ['cspc8codepage437', 'cp437'],
  ['usascii', 'ascii'],
  ['ascii', 'ascii'],
  ['us', 'ascii'],
  ['isoir6', 'ascii'],
  ['ansix341968', 'ascii'],
  ['ansix341986', 'ascii'],
  ['iso646irv1991', 'ascii'],
  ['iso646us', 'ascii'],
  ['ibm367', 'ascii'],
  ['cp367', 'ascii'],
  ['csascii', 'ascii'],
]);

/** Lower case, without the punctuation and spaces that spellings of one name differ in (`ISO_8859-1` = `iso8859-1`). */
const namesKey = (name: string): string => name.toLowerCase().replace(/[\s\-_.:]/g, '');

/**
 * The encoding a character set name refers to, or `undefined` for names rxtelnet does not support.
 *
 * Accepts the IANA names and aliases peers send in CHARSET negotiation (RFC 2066) or MTTS/MNES
 * (`UTF-8`, `ISO-8859-1`, `US-ASCII`, `IBM437`, `CP437`, `latin1`, ...), ignoring case, spaces, `-`, `_`, `.`
 * and `:`. `windows-1252` is not ISO-8859-1 and gives `undefined`.
 *
 * @example
 * ```ts
 * import { toTextEncodingName } from 'rxtelnet';
 * toTextEncodingName('UTF-8');     // 'utf-8'
 * toTextEncodingName('ISO_8859-1'); // 'latin1'
 * toTextEncodingName('IBM437');    // 'cp437'
 * toTextEncodingName('KOI8-R');    // undefined
 * ```
 */
export const toTextEncodingName = (name: string): TextEncodingName | undefined => aliases.get(namesKey(name));

const preferredNames: Readonly<Record<TextEncodingName, string>> = {
  'utf-8': 'UTF-8',
  latin1: 'ISO-8859-1',
  cp437: 'IBM437',
  ascii: 'US-ASCII',
};

/**
 * The IANA name to announce an encoding by, e.g. in a CHARSET REQUEST (RFC 2066).
 *
 * @example
 * ```ts
 * import { charsetName } from 'rxtelnet';
 * charsetName('latin1'); // 'ISO-8859-1'
 * ```
 */
export const charsetName = (encoding: TextEncodingName): string => preferredNames[encoding];
