/**
 * MSSP, the MUD Server Status Protocol (option 70): a server's public facts for MUD crawlers.
 *
 * Payload: `VAR name VAL value [VAL value]...` repeated; several VALs (or the same VAR sent again) give
 * one variable several values. Text is UTF-8.
 */
import * as E from '#fp-ts/Either';
import { TelnetOption } from '../protocol/options.js';
import { concatBytes, decodeUtf8, encodeUtf8, nullPrototypeRecord } from './payload-bytes.js';
import { payloadError, type PayloadError } from './payload-error.js';

/**
 * The MSSP control bytes.
 *
 * @internal
 */
export const MsspByte = { VAR: 1, VAL: 2 } as const;

/**
 * The official MSSP variable names (the required ones are `NAME`, `PLAYERS` and `UPTIME`).
 *
 * @example
 * ```ts
 * import { MsspVariable } from 'rxtelnet/mud';
 * MsspVariable.CRAWL_DELAY; // 'CRAWL DELAY'
 * ```
 */
export const MsspVariable = {
  NAME: 'NAME',
  PLAYERS: 'PLAYERS',
  UPTIME: 'UPTIME',
  CRAWL_DELAY: 'CRAWL DELAY',
  HOSTNAME: 'HOSTNAME',
  PORT: 'PORT',
  CODEBASE: 'CODEBASE',
  CONTACT: 'CONTACT',
  CREATED: 'CREATED',
  ICON: 'ICON',
  IP: 'IP',
  IPV6: 'IPV6',
  LANGUAGE: 'LANGUAGE',
  LOCATION: 'LOCATION',
  MINIMUM_AGE: 'MINIMUM AGE',
  WEBSITE: 'WEBSITE',
  FAMILY: 'FAMILY',
  GENRE: 'GENRE',
  GAMEPLAY: 'GAMEPLAY',
  STATUS: 'STATUS',
  GAMESYSTEM: 'GAMESYSTEM',
  INTERMUD: 'INTERMUD',
  SUBGENRE: 'SUBGENRE',
  AREAS: 'AREAS',
  HELPFILES: 'HELPFILES',
  MOBILES: 'MOBILES',
  OBJECTS: 'OBJECTS',
  ROOMS: 'ROOMS',
  CLASSES: 'CLASSES',
  LEVELS: 'LEVELS',
  RACES: 'RACES',
  SKILLS: 'SKILLS',
  REFERRAL: 'REFERRAL',
  ANSI: 'ANSI',
  GMCP: 'GMCP',
  MCCP: 'MCCP',
  MCP: 'MCP',
  MSDP: 'MSDP',
  MSP: 'MSP',
  MXP: 'MXP',
  PUEBLO: 'PUEBLO',
  UTF_8: 'UTF-8',
  VT100: 'VT100',
  XTERM_256_COLORS: 'XTERM 256 COLORS',
  XTERM_TRUE_COLORS: 'XTERM TRUE COLORS',
  SSL: 'SSL',
  PAY_TO_PLAY: 'PAY TO PLAY',
  PAY_FOR_PERKS: 'PAY FOR PERKS',
  HIRING_BUILDERS: 'HIRING BUILDERS',
  HIRING_CODERS: 'HIRING CODERS',
} as const;

/**
 * One variable's value: a string, or an array when the variable has two values or more.
 *
 * @example
 * ```ts
 * import type { MsspValue } from 'rxtelnet/mud';
 * const ports: MsspValue = ['4000', '4001'];
 * ```
 */
export type MsspValue = string | readonly string[];

/**
 * An MSSP table by variable name. Decoded tables have no prototype (peer-chosen keys stay plain data).
 *
 * @example
 * ```ts
 * import type { MsspTable } from 'rxtelnet/mud';
 * const status: MsspTable = { NAME: 'Example MUD', PLAYERS: '12', UPTIME: '1700000000' };
 * ```
 */
export type MsspTable = Readonly<Record<string, MsspValue>>;

/**
 * Bounds on a decoded MSSP payload.
 *
 * @example
 * ```ts
 * import { DEFAULT_MSSP_LIMITS, type MsspLimits } from 'rxtelnet/mud';
 * const limits: MsspLimits = { ...DEFAULT_MSSP_LIMITS, maxVariables: 64 };
 * ```
 */
export interface MsspLimits {
  readonly maxVariables: number;
  readonly maxValuesPerVariable: number;
}

/**
 * The default bounds: 256 variables, 64 values per variable.
 *
 * @example
 * ```ts
 * import { DEFAULT_MSSP_LIMITS } from 'rxtelnet/mud';
 * DEFAULT_MSSP_LIMITS.maxVariables; // 256
 * ```
 */
export const DEFAULT_MSSP_LIMITS: MsspLimits = { maxVariables: 256, maxValuesPerVariable: 64 };

const isControl = (byte: number): boolean => byte === MsspByte.VAR || byte === MsspByte.VAL;

/** The end of the text that starts at `start`: the next VAR or VAL, or the end of the payload. */
const textEnd = (payload: Uint8Array, start: number): number => {
  let end = start;
  while (end < payload.length && !isControl(payload[end] ?? MsspByte.VAR)) end += 1;
  return end;
};

/**
 * Decodes an MSSP payload within `limits`. A variable with one value maps to a string, with more to an
 * array; a VAR without VAL maps to `''`.
 *
 * @example
 * ```ts
 * import { decodeMssp } from 'rxtelnet/mud';
 * // VAR "PORT" VAL "23" VAL "4000"
 * decodeMssp(new TextEncoder().encode('\x01PORT\x0223\x024000')); // right({ PORT: ['23', '4000'] })
 * ```
 */
export const decodeMssp = (
  payload: Uint8Array,
  limits: MsspLimits = DEFAULT_MSSP_LIMITS,
): E.Either<PayloadError, MsspTable> => {
  const values = new Map<string, string[]>();
  let index = 0;
  while (index < payload.length) {
    if (payload[index] !== MsspByte.VAR)
      return E.left(payloadError(TelnetOption.MSSP, `offset ${index}`, 'expected VAR (1)'));
    const nameEnd = textEnd(payload, index + 1);
    if (nameEnd === index + 1)
      return E.left(payloadError(TelnetOption.MSSP, `offset ${index + 1}`, 'empty variable name'));
    const name = decodeUtf8(TelnetOption.MSSP, `offset ${index + 1}`, payload.subarray(index + 1, nameEnd));
    if (E.isLeft(name)) return name;
    const list = values.get(name.right) ?? [];
    if (list.length === 0 && values.size === limits.maxVariables) {
      return E.left(payloadError(TelnetOption.MSSP, `offset ${index}`, `more than ${limits.maxVariables} variables`));
    }
    values.set(name.right, list);
    index = nameEnd;
    while (payload[index] === MsspByte.VAL) {
      if (list.length === limits.maxValuesPerVariable) {
        return E.left(
          payloadError(
            TelnetOption.MSSP,
            `offset ${index}`,
            `more than ${limits.maxValuesPerVariable} values for ${name.right}`,
          ),
        );
      }
      const valueEnd = textEnd(payload, index + 1);
      const value = decodeUtf8(TelnetOption.MSSP, `offset ${index + 1}`, payload.subarray(index + 1, valueEnd));
      if (E.isLeft(value)) return value;
      list.push(value.right);
      index = valueEnd;
    }
  }
  const table = nullPrototypeRecord<MsspValue>();
  for (const [name, list] of values) {
    const [only, ...more] = list;
    table[name] = only === undefined ? '' : more.length === 0 ? only : list;
  }
  return E.right(table);
};

const encodeText = (text: string): Uint8Array => {
  const bytes = encodeUtf8(text);
  return bytes.some(isControl) ? bytes.filter((byte) => !isControl(byte)) : bytes;
};

/**
 * Encodes an MSSP table; an array gives one VAL per entry (an empty array sends the bare VAR, which decodes
 * to `''`; a one-entry array decodes to a string). The bytes VAR and VAL are dropped from text.
 *
 * @example
 * ```ts
 * import { encodeMssp, MsspVariable } from 'rxtelnet/mud';
 * encodeMssp({ [MsspVariable.NAME]: 'Example MUD', [MsspVariable.PLAYERS]: '12', [MsspVariable.PORT]: ['23', '4000'] });
 * ```
 */
export const encodeMssp = (table: MsspTable): Uint8Array => {
  const parts: (number | Uint8Array)[] = [];
  for (const [name, value] of Object.entries(table)) {
    parts.push(MsspByte.VAR, encodeText(name));
    for (const item of typeof value === 'string' ? [value] : value) parts.push(MsspByte.VAL, encodeText(item));
  }
  return concatBytes(parts);
};
